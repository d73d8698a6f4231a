window.__ENV__ = {
  OC_TOKEN: "sha256~urbfHlAVC_GiwRyoYEQ7jrSOQr7no2OwUfasnKz9bdk",
  RELEASE: "2025.1"
};
