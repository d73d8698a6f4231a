Rails.application.configure do
  config.cache_classes = true
  config.x.dt_api_token = 'dt0c01.JH4BK05KQ5Z817A27FAWX8M1.3BGTP6XHAFVKET4T2KE0NW16T1J7VZKPW4RJQO7PRAZH0329LON3X3X0SWAMMJPG'
end
