<?php

define('TWITTER_API_KEY', 'cVBln64TFkNxj9yKMaEuBhp9e');
define('APP_DEBUG', false);
