Rails.application.configure do
  config.cache_classes = true
  config.x.nuget_api_key = 'oy2456nnws1sf601tdd6pkj5zpc3355sank0l6r397cnp3'
end
