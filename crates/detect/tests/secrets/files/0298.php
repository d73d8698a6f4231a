<?php

define('SMTP_PASSWORD', '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');
define('APP_DEBUG', false);
