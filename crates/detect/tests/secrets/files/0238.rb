Rails.application.configure do
  config.cache_classes = true
  config.x.square_application_secret = 'sq0csp-MawwIBcZRYbSOeakrDTnaVJqPYSv-Yp4I9a3o6NBGpk'
end
