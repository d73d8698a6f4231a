Rails.application.configure do
  config.cache_classes = true
  config.x.artifactory_token = 'cmVmdGtuOjAxOjg5NzA3Mjc5MzQ6dmduNHBPUTd2NlFhVnFIQm5mT0t1Mkc4M1h1bg'
end
