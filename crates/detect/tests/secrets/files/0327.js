export default {
  port: 3000,
  mcKey: "ed87e0f674f2e8fae7e429bc3f1f9961-us10",
  cors: true,
};
