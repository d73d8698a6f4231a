export default {
  port: 3000,
  dropboxToken: "sl.BgnVMlOS68zcZgoCK95Fh4rzK7HLXavUUPN0WIpLrgK7thDf3tQOeWm05S2ZP33lSJNGXpLtF0WLxzGtkT-6FeNoDu1TdMKwOIN7nCcfciAfwHmtHGD9a2_ovP0km8hTqwZRoaoTWNL",
  cors: true,
};
