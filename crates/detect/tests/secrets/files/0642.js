'use strict';

const databricksPat = 'dapi84a8d9219519344993de4a6dd12d8c4d';

module.exports = { databricksPat };
