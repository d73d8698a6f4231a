'use strict';

const mailchimpApiKey = '0ce5cd1e52f203de68c15b247c15095b-us11';

module.exports = { mailchimpApiKey };
