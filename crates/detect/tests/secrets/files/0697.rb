Rails.application.configure do
  config.cache_classes = true
  config.x.atlas_token = 'n0xfxIN47pr4I8.atlasv1.4sz514shCzqPnWdvuDZIFPV3bBb7zF2BLvn01GnVdJLquP7Z6layFcJA0xizqC5v7Rb'
end
