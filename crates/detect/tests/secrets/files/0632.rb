Rails.application.configure do
  config.cache_classes = true
  config.x.digitalocean_token = 'dop_v1_f5999957a68aa2730d0eac4165858b61231cb35802f79ce9c00cce1c13825a3a'
end
