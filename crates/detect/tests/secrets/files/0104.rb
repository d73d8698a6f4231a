Rails.application.configure do
  config.cache_classes = true
  config.x.azure_devops_ext_pat = 'jBeL0wVAemWvQdyNSL9Ity5CUT1pGT3wETbUQuNRL9ScgqjFRS6NJQQJ99ocntbqq8hQ3Nu8xG9lAZDO6Ecp'
end
