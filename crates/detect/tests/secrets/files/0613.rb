Rails.application.configure do
  config.cache_classes = true
  config.x.heroku_token = 'HRKU-AASgyrS2X5xo0qAnx9OWZTtc_XyOfBwrnSSGbvc8Tu6UKLBPr44bXz1YR3ZM'
end
