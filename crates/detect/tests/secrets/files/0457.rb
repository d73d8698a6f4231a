Rails.application.configure do
  config.cache_classes = true
  config.x.npm_publish_token = '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'
end
