Rails.application.configure do
  config.cache_classes = true
  config.x.linear_token = 'lin_api_dCqyogBGOReBxfN85bMXT7jlR8SH79y7t95U0okD'
end
