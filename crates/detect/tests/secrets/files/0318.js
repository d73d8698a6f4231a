'use strict';

const mailgunPrivateKey = '94b30bb0208ffb294fd07f6048e4b4a4-418e9277-d1e96d50';

module.exports = { mailgunPrivateKey };
