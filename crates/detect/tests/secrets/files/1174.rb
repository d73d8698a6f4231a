Rails.application.configure do
  config.cache_classes = true
  config.x.okta_api_token = '00A0qS6klYQbGppszgu404vrfLDAsMOOlyP8q6OUPS'
end
