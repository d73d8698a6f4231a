<?php

define('NEWSLETTER_API_KEY', 'c6adc7b5542ca32b5e616661a2d0b714-us15');
define('APP_DEBUG', false);
