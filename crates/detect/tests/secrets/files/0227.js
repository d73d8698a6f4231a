window.__ENV__ = {
  STRIPE_API_KEY: "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",
  RELEASE: "2025.1"
};
