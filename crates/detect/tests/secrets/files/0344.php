<?php

define('MC_KEY', '728d9cee8b4cbf77eb24ab11ae0f12da-us11');
define('APP_DEBUG', false);
