<?php

define('LINEAR_TOKEN', 'lin_api_6H6a6n0oFs1yZEBI0Wz2wqCSxNgQwPolfpdGGMxx');
define('APP_DEBUG', false);
