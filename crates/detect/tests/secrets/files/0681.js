export default {
  port: 3000,
  hfToken: "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",
  cors: true,
};
