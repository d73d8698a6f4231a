<?php

define('SQUARE_APPLICATION_SECRET', 'EAAAbMH8W21toXT4Sgtta5a7-Z_Klo3SScGFTYdEHlCw4eunBz11toCkvdhtySWZ');
define('APP_DEBUG', false);
