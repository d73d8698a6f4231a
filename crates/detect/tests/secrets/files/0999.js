'use strict';

const sentryAuthToken = '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';

module.exports = { sentryAuthToken };
