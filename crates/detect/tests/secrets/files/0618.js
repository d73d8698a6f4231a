async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer dop_v1_c12f1bd15598bde2ea118e0621a3ecc22ed27e789f8b7d287add803edc9a5d82` } });
  return res.json();
}
