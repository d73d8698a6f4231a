Rails.application.configure do
  config.cache_classes = true
  config.x.digitalocean_token = 'dor_v1_f69767795799a1d8850ab92413dc7fd5f2136a3fea4104d9fac4331f00ff43a2'
end
