<?php

define('OKTA_API_KEY', '00ZkoJr4aC2ncZOthpaELH_r_4Z2xcPGlcY6CB9ecu');
define('APP_DEBUG', false);
