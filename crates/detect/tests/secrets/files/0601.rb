Rails.application.configure do
  config.cache_classes = true
  config.x.heroku_api_key = 'e2c8ee14-e798-40b9-8a62-a8650534afec'
end
