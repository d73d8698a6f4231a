async function load() {
  const res = await fetch(url, { headers: { Authorization: `Bearer dt0c01.UMZ6PV5BLJOCEQU9J6MC6FGF.WCGGK1KYZ6RS8N7ROAMNUJEV1KTZGTZD9YS3FVLCAFT2YSJ0U0B4SDLGAR9QACC8` } });
  return res.json();
}
