Rails.application.configure do
  config.cache_classes = true
  config.x.gcp_key = 'AIzamE5IxLVGIfU5D2uY5KxFraaT-98qKGt6QIo'
end
