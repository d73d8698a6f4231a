Rails.application.configure do
  config.cache_classes = true
  config.x.postman_api_key = 'PMAK-92d49063aa56f81135453611-fd6739478807604c0a3974e1994137bcdc'
end
