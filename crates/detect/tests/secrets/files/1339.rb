Rails.application.configure do
  config.cache_classes = true
  config.x.anthropic_api_key = 'sk-ant-api03-Lp7XVyohUDjmF3vEYpW5A5if34_-3HUN_efRTUHTrioj7o_PQYbsWtW0J601KvhUJxN6hV8WniflbDZsUYyHlKU81kDwgAA'
end
