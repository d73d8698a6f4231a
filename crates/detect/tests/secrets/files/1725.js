'use strict';

const ftClientSecret = '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';

module.exports = { ftClientSecret };
