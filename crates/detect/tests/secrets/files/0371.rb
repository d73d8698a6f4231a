Rails.application.configure do
  config.cache_classes = true
  config.x.sendinblue_api_key = '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'
end
