export default {
  port: 3000,
  npmPublishToken: "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",
  cors: true,
};
