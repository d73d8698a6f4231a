<?php

define('BB_TOKEN', 'ATBBMmFIwGhUICXkKPHBRhofXXzt230BB848');
define('APP_DEBUG', false);
