export default {
  port: 3000,
  sonarqubeToken: "sqp_5d072019bb0fafbb975765dd792412da45c072df",
  cors: true,
};
