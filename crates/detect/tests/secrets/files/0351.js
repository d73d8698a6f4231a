'use strict';

const brevoApiKey = 'xsmtpsib-affe640229359d2a5f7e4ca83cfe619e486430872c33042cec2cf91209dee6b8-DwVe5wuvT4FRJwIv';

module.exports = { brevoApiKey };
