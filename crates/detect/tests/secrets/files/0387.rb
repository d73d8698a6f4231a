Rails.application.configure do
  config.cache_classes = true
  config.x.telegram_bot_token = '3655884043:AAY0Poij2bXNng6E_uzr5LhhMKGcBoJiF17'
end
