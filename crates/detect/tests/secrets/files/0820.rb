Rails.application.configure do
  config.cache_classes = true
  config.x.database_password = 'pscale_tkn_SXqnhtvnz_YKkyhX_RsIefM-RImU7bHVfS8-TdV0bNg'
end
