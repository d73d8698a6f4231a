Rails.application.configure do
  config.cache_classes = true
  config.x.openai_key = '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'
end
