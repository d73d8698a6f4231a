<?php

define('TOKEN', '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');
define('APP_DEBUG', false);
