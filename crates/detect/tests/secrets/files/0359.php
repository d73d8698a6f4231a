<?php

define('BREVO_API_KEY', 'xsmtpsib-bfd9241b2041f8cfa1f7e3319d565889c4d9a03a91238f3b62297cec9ad42210-pb03PWeQWr1LnLvj');
define('APP_DEBUG', false);
