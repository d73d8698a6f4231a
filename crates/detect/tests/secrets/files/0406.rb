Rails.application.configure do
  config.cache_classes = true
  config.x.discord_token = 'NDgzNzg4NDY4OTI1NjYxNjk3.3EKBjD.rAZZLtARApbWx4UROmEFsKljaw_UxxmTTJJe_2'
end
