export default {
  port: 3000,
  atlassianToken: "2ICxjorYZ0nzKSRFeL12muzA",
  cors: true,
};
