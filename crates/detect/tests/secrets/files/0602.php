<?php

define('HEROKU_API_KEY', '97a076c6-4b45-4502-b640-2edbfab8d748');
define('APP_DEBUG', false);
