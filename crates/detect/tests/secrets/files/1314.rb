Rails.application.configure do
  config.cache_classes = true
  config.x.gf_token = 'glsa_iagZvqVKIBkKmdtW8oDzXDULMKzk35Zg_6b3f9620'
end
