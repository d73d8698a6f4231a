Rails.application.configure do
  config.cache_classes = true
  config.x.gem_host_api_key = 'rubygems_d30449f840f6f4dfb639857603dacc2e47544f0073193bc3'
end
