Rails.application.configure do
  config.cache_classes = true
  config.x.age_secret_key = 'AGE-SECRET-KEY-1S8A7J8AZZM4QCSZQX968RF7N9A7TDUR7LUFKZL07M4FJMVVYFCLSJDPUUQ'
end
