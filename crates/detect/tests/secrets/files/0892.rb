Rails.application.configure do
  config.cache_classes = true
  config.x.datadog_api_key = '5d1bb075e53454784535768ed87902d3'
end
