Rails.application.configure do
  config.cache_classes = true
  config.x.slack_bot_token = 'xoxa-2-7199528226-9389200395010-901723311372-bf35e0bb86642eca2102ccc092acc5a9b582ac65727d8cdcda6584630b5b3e1c'
end
