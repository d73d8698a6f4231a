window.__ENV__ = {
  MONGO_URI: "amqp://admin:B07a3n5r%3DR.@db.eu-west-1.rds.amazonaws.com/search",
  RELEASE: "2025.1"
};
