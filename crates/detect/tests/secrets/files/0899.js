export default {
  port: 3000,
  datadogAppKey: "b6baf32f4db77d0b033bd980d8d60338cab97b42",
  cors: true,
};
