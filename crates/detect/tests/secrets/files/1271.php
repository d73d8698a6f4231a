<?php

define('OPENAI_API_KEY', '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');
define('APP_DEBUG', false);
