export default {
  port: 3000,
  mailgunKey: "key-dd4bc4ca1309b3a67157377dca5d24df",
  cors: true,
};
