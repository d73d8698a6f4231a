Rails.application.configure do
  config.cache_classes = true
  config.x.ft_client_secret = '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'
end
