<?php

define('SNYK_TOKEN', 'b4590b04-6137-4c96-964f-e51b457738b7');
define('APP_DEBUG', false);
