export default {
  port: 3000,
  uvPublishToken: "pypi-AgEIcHlwaS5vcmccIByhqUD7Dq3s1vLNjY8snxZ38aJOFJhcNHXwd1FaP963_4OYKldKnTZbxP-9i-ytcczzfWrfF2PVwrsWKV_63ChQpG4ZduqULQ8Gty6QrrwcwlHSVrFJUjiQRKdGRCNldRY2pNgzvHtEMi5BDYuKUkz6RMRiCYO",
  cors: true,
};
