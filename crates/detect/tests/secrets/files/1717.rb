Rails.application.configure do
  config.cache_classes = true
  config.x.intra_secret = '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'
end
