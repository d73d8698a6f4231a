Rails.application.configure do
  config.cache_classes = true
  config.x.new_relic_license_key = 'NRAK-7IC741938WGPNQWO1LHQVBB39Y7'
end
