'use strict';

const sendgridApiKey = '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';

module.exports = { sendgridApiKey };
