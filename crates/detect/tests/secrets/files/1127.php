<?php

define('SNYK_AUTH_TOKEN', 'a6e4872e-e084-4345-aa1c-b85cd2380f8f');
define('APP_DEBUG', false);
