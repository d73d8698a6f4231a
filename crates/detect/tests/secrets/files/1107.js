'use strict';

const postmanApiKey = 'PMAK-e02a5dba906c98b09d7ca132-e4b6b22050f16f7bf6823a9423e33bf520';

module.exports = { postmanApiKey };
