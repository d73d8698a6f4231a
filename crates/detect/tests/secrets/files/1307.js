export default {
  port: 3000,
  grafanaServiceAccountToken: "glsa_UwskWwuBdjthb3FfUTgiKYo3XgsYsTjI_d5258275",
  cors: true,
};
