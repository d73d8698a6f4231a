window.__ENV__ = {
  CLAUDE_KEY: "sk-ant-api03-Iit9w2-8NFJnA86I617SRlLizcPCC6RAkB_wVccGz1-Fbxk7fHyeSPb0TCR3Hs8pAYfR_lQQ7KYah3Li-rUzwRncBtMh2AA",
  RELEASE: "2025.1"
};
