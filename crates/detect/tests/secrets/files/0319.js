window.__ENV__ = {
  MAILGUN_KEY: "key-1723c594cdc1de45b67057d441a38715",
  RELEASE: "2025.1"
};
