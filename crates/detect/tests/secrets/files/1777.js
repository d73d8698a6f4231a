var docsearch = require('docsearch.js');
docsearch({ apiKey: '2e2612f33ff3c7a7ab6883cfad5175e7', indexName: 'yarnpkg', inputSelector: '#search', appId: 'OFCNCOG2CU' });
