'use strict';

const oktaToken = '00kzywbV3CMxHkoloxmNxWn3ynYN1eWiKMT8O0Nxp_';

module.exports = { oktaToken };
