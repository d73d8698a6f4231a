Rails.application.configure do
  config.cache_classes = true
  config.x.mapbox_secret_token = 'sk.eyJ1IjoiZ2F0ZXdheS1tYXBzIiwiYSI6IgGn78ySyg.3qNGcak8HjXnbdGGw8vP6o'
end
