<?php

define('SNYK_API_TOKEN', '5eeb080a-f7ec-4321-8a59-9d7529485e7b');
define('APP_DEBUG', false);
