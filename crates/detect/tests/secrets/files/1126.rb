Rails.application.configure do
  config.cache_classes = true
  config.x.snyk_token = '093415b5-f1ad-4855-b861-bcc08ea181d4'
end
