export default {
  port: 3000,
  botToken: "1714930691:AAaicma8Af9MY70do0AjnIGr2RjCCbLcicF",
  cors: true,
};
