Rails.application.configure do
  config.cache_classes = true
  config.x.huggingfacehub_api_token = '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'
end
