export default {
  port: 3000,
  nugetKey: "oy240udahe0hbs3e0mzmsnceuz3lschz8wxqzb88e3e52g",
  cors: true,
};
