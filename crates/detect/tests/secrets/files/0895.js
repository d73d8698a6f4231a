export default {
  port: 3000,
  datadogApiKey: "b2648391f9e9d42015c62e018950ac16",
  cors: true,
};
