Rails.application.configure do
  config.cache_classes = true
  config.x.confluent_secret = 'caRU3mKz45La+oMvczbrvoDFDlwKh4qNI1cPngIBRPIEB/iYXcSiHBZdlLrl0uRu'
end
