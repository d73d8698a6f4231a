window.__ENV__ = {
  PLANETSCALE_SERVICE_TOKEN: "pscale_tkn_ye9lZqPgRkkwc924qtIPye2H8iRmFqk0V5Ba-Dni8ie",
  RELEASE: "2025.1"
};
