Rails.application.configure do
  config.cache_classes = true
  config.x.artifactory_token = 'cmVmdGtuOjAxOjMxNTMyMDE5NjA6QWpTbWZkSU83VFRyOWRNQnpUUUlzOGlRQklIbA'
end
