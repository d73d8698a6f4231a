'use strict';

const shopifyAccessToken = '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';

module.exports = { shopifyAccessToken };
