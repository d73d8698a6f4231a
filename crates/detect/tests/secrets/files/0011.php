<?php

define('AWS_ACCESS_KEY_ID', 'ASIA4ADRFYMJK34EB2DV');
define('APP_DEBUG', false);
