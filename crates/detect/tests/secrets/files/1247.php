<?php

define('SHOPIFY_ACCESS_TOKEN', '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');
define('APP_DEBUG', false);
