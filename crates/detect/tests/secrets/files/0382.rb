Rails.application.configure do
  config.cache_classes = true
  config.x.tg_token = '230693070:AAP8rdAlL9cB-8HWjGUSrNRuuecjGmQRk04'
end
