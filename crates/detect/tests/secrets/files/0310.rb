Rails.application.configure do
  config.cache_classes = true
  config.x.mailgun_api_key = '729faa9c786e95c69aeab76bede54a55-9474187e-1ac9ae04'
end
