Rails.application.configure do
  config.cache_classes = true
  config.x.postman_api_key = 'PMAK-07994e5493f8e18d61752352-9dc2fe36956e1d4d043c20cd4e079f3f75'
end
