'use strict';

const alibabaCloudAccessKeySecret = 'KW7B5xkQAlsrFdRIoTesxMoDSLHPpU';

module.exports = { alibabaCloudAccessKeySecret };
