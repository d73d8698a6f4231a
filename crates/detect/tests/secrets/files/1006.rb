Rails.application.configure do
  config.cache_classes = true
  config.x.sentry_auth_token = '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'
end
