Rails.application.configure do
  config.cache_classes = true
  config.x.twilio_api_sid = 'SKbeaf862f2006e0fd4c3fdfdf10519d23'
end
