'use strict';

const confluentApiSecret = 'F/K+tdhYYSnP6wUAPKh+hlBZ0mbXRlvcVXflqq8ZeH2oxKcc2Vl1aXYP8JisozW6';

module.exports = { confluentApiSecret };
