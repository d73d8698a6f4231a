Rails.application.configure do
  config.cache_classes = true
  config.x.privatetoken = 'hunter2-Xk9!v'
end
