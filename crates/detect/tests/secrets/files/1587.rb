Rails.application.configure do
  config.cache_classes = true
  config.x.mongo_uri = 'postgresql://rabbit:V3ZZGc6MYWiBp9WHH@cluster0.abcde.mongodb.net/orders'
end
