Rails.application.configure do
  config.cache_classes = true
  config.x.mapbox_downloads_token = 'sk.eyJ1Ijoic2VhcmNoLW1hcHMiLCJhIjoix3-KyolQ.UQ_VI6fpGGYOC6tuHumhqQ'
end
