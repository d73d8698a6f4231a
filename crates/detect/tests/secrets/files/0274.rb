Rails.application.configure do
  config.cache_classes = true
  config.x.twilio_auth_token = '81ff87f5ca90b672ac32447c010a20f7'
end
