Rails.application.configure do
  config.cache_classes = true
  config.x.aliyun_access_secret = 'pBRWLLkczbycaPwusdAJ68B03BOyel'
end
