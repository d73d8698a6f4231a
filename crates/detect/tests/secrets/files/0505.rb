Rails.application.configure do
  config.cache_classes = true
  config.x.gem_host_api_key = 'rubygems_f5ed8c27012ddb7e4dce6c9eb440ef02318520d6e5255786'
end
