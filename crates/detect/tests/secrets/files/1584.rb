Rails.application.configure do
  config.cache_classes = true
  config.x.mongo_uri = 'redis://app:L%23Z1DcYKEOgAGx41O_Q@db.prod.corp.net/billing'
end
