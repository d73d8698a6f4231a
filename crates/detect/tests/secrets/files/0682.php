<?php

define('HUGGING_FACE_HUB_TOKEN', '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');
define('APP_DEBUG', false);
