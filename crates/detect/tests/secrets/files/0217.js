async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer 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` } });
  return res.json();
}
