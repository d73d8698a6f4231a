<?php

define('TWILIO_API_SID', 'SKc5b2768f9d74e2dc2b7cd21042ed13b4');
define('APP_DEBUG', false);
