Rails.application.configure do
  config.cache_classes = true
  config.x.bitbucket_token = 'ATBB1TRpRy2aDuqUcM97kwr4DbXx69171709'
end
