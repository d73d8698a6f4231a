window.__ENV__ = {
  MASTER_KEY: "hunter2-Xk9!v",
  RELEASE: "2025.1"
};
