Rails.application.configure do
  config.cache_classes = true
  config.x.gl_token = 'glpat-opm2Zcxy7tVExEt2ZzI-'
end
