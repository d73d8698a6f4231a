export default {
  port: 3000,
  pulumiAccessToken: "pul-9df94ce490d7e56e4b3b2d4e23d3b904057800d0",
  cors: true,
};
