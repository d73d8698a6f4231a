Rails.application.configure do
  config.cache_classes = true
  config.x.sonarqube_token = 'sqp_0d0e43be5ce99633d9334a3c08ca7c46931db766'
end
