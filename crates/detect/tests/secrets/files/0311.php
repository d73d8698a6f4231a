<?php

define('MAILGUN_API_KEY', 'key-7816e3d4b29dae490de27e134af30dd9');
define('APP_DEBUG', false);
