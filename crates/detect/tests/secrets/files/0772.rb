Rails.application.configure do
  config.cache_classes = true
  config.x.doppler_token = 'dp.sa.ANnVnxmpaScdkGAic9JyYADpXUP3ett2RG3SlmNrR2t'
end
