window.__ENV__ = {
  AZURE_CLIENT_SECRET: "Svf8Q~.w9vGj8kSGyNj47wLS-F4EMylntUIF-a-6",
  RELEASE: "2025.1"
};
