Rails.application.configure do
  config.cache_classes = true
  config.x.anthropic_api_key = 'sk-ant-api03-IV9J05xsT9Q-GNne2-THrToo5hVd3uAF_mSIIZrnoKSA9nP8JpneLCmSePsSLS2YflhDPAmPPrY29Qtnl6grB82Pysrm4AA'
end
