<?php

define('DOPPLER_TOKEN', 'dp.ct.OUgZNry44Jo9jvgre3j6oCTuxc9VbX3sYFSLf2VNbTz');
define('APP_DEBUG', false);
