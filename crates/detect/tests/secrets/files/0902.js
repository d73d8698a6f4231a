'use strict';

const datadogApiKey = '6cc0f0aec0d898ea64a9b7c328e574ec';

module.exports = { datadogApiKey };
