Rails.application.configure do
  config.cache_classes = true
  config.x.stripe_api_key = 'rk_test_L9c35nPvQe8kvBFrIBuWZmhfMmLH4x0in1av72rwW2ovQI5U2jtFRxZlIKSEKuCS4i353zojgKFiG14bVrKVarFcw5LTMOsHsWB'
end
