export default {
  port: 3000,
  slackToken: "xoxe-1-My0xqmD1bPPBPmkbL81PMePmKsA3ebFJmGglDivVbHkTZqJSjLnFlGQGTeip7eZT5Q42Z4FmcVDMerKJ7WooUCo8uetU5VgTad4WbdwplpiOCPQsE17SR2yyxAz3FDxCNxe2rG5C2ytxaCk4ql",
  cors: true,
};
