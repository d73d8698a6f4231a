<?php

define('YOUTUBE_API_KEY', 'AIzah5scMKNG9ehIFX9UcFrO92g2YJfwmAPV0qw');
define('APP_DEBUG', false);
