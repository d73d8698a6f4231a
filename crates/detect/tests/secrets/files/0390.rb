Rails.application.configure do
  config.cache_classes = true
  config.x.telegram_bot_token = '1160330781:AA_sv3ETHoa2YZlEdws108Sm7SJNZ1Se4aQ'
end
