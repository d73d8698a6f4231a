Rails.application.configure do
  config.cache_classes = true
  config.x.stripe_api_key = 'sk_live_8fn9lGDFSLWWlXEx0YQF32Rd'
end
