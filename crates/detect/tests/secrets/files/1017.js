'use strict';

const sentryAuthToken = '598d6b21212ed9e875e949f787716233c3bc058ce1808ea5e9501ca72f09c3bc';

module.exports = { sentryAuthToken };
