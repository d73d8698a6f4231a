<?php

define('POSTMAN_API_KEY', 'PMAK-9f1426e8054d5982412e81e3-2745f8dd5bfc872a0b0b988fa37d21298a');
define('APP_DEBUG', false);
