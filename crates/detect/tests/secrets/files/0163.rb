Rails.application.configure do
  config.cache_classes = true
  config.x.gitlab_runner_token = 'glpat-ME4-ywiHOOkyROPWEWjCrGM6MWsKbzpvZDIKdTozaHpxMBI.01.1b0ffturd'
end
