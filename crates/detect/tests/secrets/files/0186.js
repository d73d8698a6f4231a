'use strict';

const slackBotToken = 'xapp-1-AXMLRAJSYIO-0695034690791-e8d2cb9e665da83b5139bdc14ae7d3e4af3166642d1455434c00465847ccf1f8';

module.exports = { slackBotToken };
