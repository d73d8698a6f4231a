export default {
  port: 3000,
  twilioAuthToken: "d9fe792fdd0c1c366e744954e02c3bb1",
  cors: true,
};
