'use strict';

const herokuApiKey = '77c8bdad-0f2d-47dd-bc41-fa56f84c829d';

module.exports = { herokuApiKey };
