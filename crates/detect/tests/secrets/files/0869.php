<?php

define('ALICLOUD_ACCESS_KEY', 'LTAI5tOIOBY2JfiuDGk1Ern5');
define('APP_DEBUG', false);
