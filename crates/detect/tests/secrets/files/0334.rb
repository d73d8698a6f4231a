Rails.application.configure do
  config.cache_classes = true
  config.x.mailchimp_api_key = '8d99fd91bdeb92fb9cedf8a562e7fe13-us5'
end
