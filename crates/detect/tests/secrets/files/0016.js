async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer ASIAZDOYOPIZXVTH374N` } });
  return res.json();
}
