export default {
  port: 3000,
  amqpUrl: "rediss://admin:OiWx6sA!SD4@cluster0.prod.corp.net/reports",
  cors: true,
};
