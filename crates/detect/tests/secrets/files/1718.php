<?php

define('INTRA_SECRET', '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');
define('APP_DEBUG', false);
