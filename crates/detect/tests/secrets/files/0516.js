export default {
  port: 3000,
  rubygemsApiKey: "rubygems_e008fd23b81d5bc83e31094b741dc026da99d4abde98d119",
  cors: true,
};
