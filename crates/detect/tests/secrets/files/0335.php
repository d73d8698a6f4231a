<?php

define('MAILCHIMP_API_KEY', '589037b0125ff2c7e825054a403b8db6-us17');
define('APP_DEBUG', false);
