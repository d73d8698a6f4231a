export default {
  port: 3000,
  awsAccessKeyId: "ASIAZVFI34LM2UEY2ZEH",
  cors: true,
};
