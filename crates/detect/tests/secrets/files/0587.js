'use strict';

const jfrogAccessToken = 'cmVmdGtuOjAxOjg0Njc4MTcyMzg6QVE3bUlmUVc0WDhIRkE1TkdVV1Q4OFUwRmhHVw';

module.exports = { jfrogAccessToken };
