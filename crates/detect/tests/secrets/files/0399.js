export default {
  port: 3000,
  discordToken: "MTEwODk1MTU2MDc1NjI2NDg2.3382O0.kgBnHH1syZdRh77R3qZlyvns17oPZCPhLy33LE",
  cors: true,
};
