<?php

define('STRIPE_SECRET_KEY', 'rk_test_ILaJjtrsZzdKX5udj924vrwW');
define('APP_DEBUG', false);
