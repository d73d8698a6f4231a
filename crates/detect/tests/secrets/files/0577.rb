Rails.application.configure do
  config.cache_classes = true
  config.x.artifactory_api_key = 'AKCp8sUeuGnCFApnsNxzryVWzisN8qz3hSQZXow2ThedVwpHgCFfmebeHInNQsIi0dA4SaOh3'
end
