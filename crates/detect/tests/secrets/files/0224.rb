Rails.application.configure do
  config.cache_classes = true
  config.x.stripe_webhook_secret = 'sk_test_68mTTmcW9gltDTFC9T7CRWSI'
end
