window.__ENV__ = {
  API42_SECRET: "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",
  RELEASE: "2025.1"
};
