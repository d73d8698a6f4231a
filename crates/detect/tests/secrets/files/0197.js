window.__ENV__ = {
  ALERTS_WEBHOOK: "https://hooks.slack.com/services/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",
  RELEASE: "2025.1"
};
