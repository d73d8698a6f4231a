Rails.application.configure do
  config.cache_classes = true
  config.x.pulumi_access_token = 'pul-59bbeff087c9563acef45f319f3503874f134e70'
end
