'use strict';

const tfeToken = 'NiG8CixgpwrkBk.atlasv1.7n6PFlfcI2HfzVwnsnkjuMdK6fyn7ZfTvSvisjYtFpLi2CWAm29Dipa75zmsRzvHc7o';

module.exports = { tfeToken };
