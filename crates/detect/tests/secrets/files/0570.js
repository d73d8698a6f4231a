'use strict';

const jfrogAccessToken = 'AKCp82R2tUlwqMDsR2m67XS151OkJsYpk4VU6eDD650AoPd2Sds0Kh1b4VCXLDTFypyhLqwGQ';

module.exports = { jfrogAccessToken };
