export default {
  port: 3000,
  npmPublishToken: "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",
  cors: true,
};
