async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer AIzaB1Es-mRMwc89yNCByPi0ftk2tVbr1hStaHE` } });
  return res.json();
}
