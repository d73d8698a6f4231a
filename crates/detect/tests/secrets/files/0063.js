export default {
  port: 3000,
  oauthClientSecret: "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",
  cors: true,
};
