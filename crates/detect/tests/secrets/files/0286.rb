Rails.application.configure do
  config.cache_classes = true
  config.x.mail_key = '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'
end
