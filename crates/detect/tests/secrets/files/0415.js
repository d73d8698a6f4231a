async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer https://discord.com/api/webhooks/3920285936134817659/zUUgEembX1wh6pfJA3PwgM4S0mBzT5H3a08Ga4UtLX5oj9yI2zD7fxD1fHrThtNwnaVe` } });
  return res.json();
}
