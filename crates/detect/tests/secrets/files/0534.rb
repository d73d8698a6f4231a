Rails.application.configure do
  config.cache_classes = true
  config.x.nuget_api_key = 'oy247wxkq5aefgxba8eh9do9mvhru5cfoidsm58a47arfp'
end
