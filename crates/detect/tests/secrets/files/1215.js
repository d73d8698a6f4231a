export default {
  port: 3000,
  dropboxToken: "sl.BlYrhYe6q_FgnojrC878XAdgOHvmovCWdGVJzk06ieZluYs0ZR9epoesxkl3rhksXGXTTrYwlE0pycJTUB8KTwRp4i43ELNaOMXhP1NgLGir2W3Sk0tPcNxPnpP3ciJ2ncOB8rPGWpX",
  cors: true,
};
