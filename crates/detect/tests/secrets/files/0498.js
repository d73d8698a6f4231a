window.__ENV__ = {
  RUBYGEMS_API_KEY: "rubygems_1cb6f6d40c2c9e0bbdfa0a29467aeb5e7cc116d677100e41",
  RELEASE: "2025.1"
};
