Rails.application.configure do
  config.cache_classes = true
  config.x.github_pat = 'ghu_cxDVGWKODiOmC8S1y4Ndk4CzTWDVDb4FW5LO'
end
