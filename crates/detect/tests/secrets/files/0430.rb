Rails.application.configure do
  config.cache_classes = true
  config.x.twitter_access_token = '74153650201046597-BuhAIlvAk27nAJ8Sdy2ixCeaYMx60PMV4fyGo2F2'
end
