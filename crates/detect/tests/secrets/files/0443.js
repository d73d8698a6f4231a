export default {
  port: 3000,
  twitterApiSecret: "s9oPIbOG0SjbIkmZkH1SztHU41aJbrnODXpdSBlJn3EPpxcfho",
  cors: true,
};
