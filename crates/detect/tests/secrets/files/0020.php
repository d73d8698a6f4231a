<?php

define('S3_ACCESS_KEY', 'AKIADSYBPLUTRMWMTB3E');
define('APP_DEBUG', false);
