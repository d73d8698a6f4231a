Rails.application.configure do
  config.cache_classes = true
  config.x.release_token = 'ghu_ued15e4WAMbnG9tL1LnShMfLaSDl1N3lqOs3'
end
