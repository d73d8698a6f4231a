Rails.application.configure do
  config.cache_classes = true
  config.x.registry_password = 'dckr_pat_HYxnQavejZjxQpcwy6VMiLC7A0p'
end
