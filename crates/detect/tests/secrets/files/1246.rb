Rails.application.configure do
  config.cache_classes = true
  config.x.shopify_access_token = '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'
end
