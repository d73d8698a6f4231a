window.__ENV__ = {
  vault_token: "s.Gb8Daz0jH6Qc1zEee9ErEeXN",
  RELEASE: "2025.1"
};
