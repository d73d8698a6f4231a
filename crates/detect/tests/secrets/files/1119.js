export default {
  port: 3000,
  snykApiToken: "faf732be-425d-4c61-8150-990251711e80",
  cors: true,
};
