Rails.application.configure do
  config.cache_classes = true
  config.x.aws_secret_access_key = 'R8/8guHydh1yRX7a8SRajPG8opcjna3AqyW8pCoN'
end
