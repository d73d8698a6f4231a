export default {
  port: 3000,
  sonarLogin: "57218a066784dd784e2a292d3026d5fab419f9af",
  cors: true,
};
