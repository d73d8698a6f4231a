Rails.application.configure do
  config.cache_classes = true
  config.x.atlas_token = 'NSNIxUXl4GWBlf.atlasv1.Wv2FvxPl38bcDAoEsXGsxucENMuUAGZKQ17sNLJn5O8xxiTlOvJhCN9VdRw1od8oRfr'
end
