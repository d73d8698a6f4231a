async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer lin_api_Yp4a0iRftfqD4wI75UTNyWlZm5oout0IKGyi1qhv` } });
  return res.json();
}
