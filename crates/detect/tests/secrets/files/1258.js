async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer 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` } });
  return res.json();
}
