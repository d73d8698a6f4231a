export default {
  port: 3000,
  huggingFaceHubToken: "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",
  cors: true,
};
