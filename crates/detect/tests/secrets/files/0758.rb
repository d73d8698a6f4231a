Rails.application.configure do
  config.cache_classes = true
  config.x.pulumi_access_token = 'pul-1980727cde58e7350def640ee75ce8bc58300f2e'
end
