Rails.application.configure do
  config.cache_classes = true
  config.x.alicloud_access_key = 'LTAI5tsMatxkaoNsshpcgPml'
end
