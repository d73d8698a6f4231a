async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer dckr_pat_cAhf-TrJrQI2RdzqabmQHOPlNLa` } });
  return res.json();
}
