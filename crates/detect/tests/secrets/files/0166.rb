Rails.application.configure do
  config.cache_classes = true
  config.x.registration_token = 'glrt-t2_LHgjW544qlTFXOOBkydaQGM6MjMKbzoycncKdToxcHlxbRI.01.1b0onkd6l'
end
