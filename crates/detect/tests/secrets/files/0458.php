<?php

define('NODE_AUTH_TOKEN', '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');
define('APP_DEBUG', false);
