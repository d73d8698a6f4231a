Rails.application.configure do
  config.cache_classes = true
  config.x.smtp_key = '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'
end
