'use strict';

const githubToken = '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';

module.exports = { githubToken };
