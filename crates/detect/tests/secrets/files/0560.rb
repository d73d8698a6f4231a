Rails.application.configure do
  config.cache_classes = true
  config.x.registry_password = 'dckr_pat_J-TaQLxD4VzVOlGe9dwc8v5SzSw'
end
