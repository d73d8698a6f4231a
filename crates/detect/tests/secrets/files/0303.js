export default {
  port: 3000,
  mailgunApiKey: "key-101a3d0014856c440493b9160d229a99",
  cors: true,
};
