<?php

define('SENDGRID_API_KEY', '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');
define('APP_DEBUG', false);
