export default {
  port: 3000,
  claudeKey: "sk-ant-api03-v3N0gQN8tNxxZ7oIRwt2nztZUCvRVBPHyRkBVgVWKy2i58ijvf9D5lnu8TTuJxUsDfQ2-O77DjD_Dgn9Qx588FN_i-Ok6AA",
  cors: true,
};
