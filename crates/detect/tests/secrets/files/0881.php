<?php

define('ALIYUN_ACCESS_SECRET', 'nm8n2jvUwkH1GAVHdJJuSIr35vWdc7');
define('APP_DEBUG', false);
