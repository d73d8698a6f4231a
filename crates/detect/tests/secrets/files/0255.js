async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer SKd6e189fc4f24a1ecebbfa5de8b73f8cc` } });
  return res.json();
}
