window.__ENV__ = {
  token: "ghu_mKG9NWaoDH87n3DCAiNDpsvXhyVlGI3MFmce",
  RELEASE: "2025.1"
};
