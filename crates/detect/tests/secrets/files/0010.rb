Rails.application.configure do
  config.cache_classes = true
  config.x.s3_access_key = 'ASIAESHBZ6JLMSFG32CB'
end
