Rails.application.configure do
  config.cache_classes = true
  config.x.kube_token = 'sha256~qk5QSbmQE2uNPf3D9OOXma06gk8UpoxxQw-AHXq3P5K'
end
