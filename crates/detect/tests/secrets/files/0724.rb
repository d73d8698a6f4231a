Rails.application.configure do
  config.cache_classes = true
  config.x.vault_root_token = 'hvs.CAESI_f_dnMRmA7Cdf1jstC7XcveGDyHgmVIKgBgZj1VRSQ5DHr3tPEUOmuOqSTUU3urMchI3DtsfoaLJkCZKa2Wzg2'
end
