Rails.application.configure do
  config.cache_classes = true
  config.x.digitalocean_access_token = 'dop_v1_1fee5c2c6eb79e90e83c7b0a97fb9baebdeddca1334787ab320814a9629fe078'
end
