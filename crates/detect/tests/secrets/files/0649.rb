Rails.application.configure do
  config.cache_classes = true
  config.x.dbx_token = 'dapib404db81ed5635443cfd57de6fd02683'
end
