<?php

define('HUGGING_FACE_HUB_TOKEN', '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');
define('APP_DEBUG', false);
