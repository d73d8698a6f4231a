async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer f0e1d8371f4cd89a5ce7ac504cfc1bcb250cNRAL` } });
  return res.json();
}
