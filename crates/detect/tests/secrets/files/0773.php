<?php

define('DOPPLER_TOKEN', 'dp.sa.sngVG4O3xyZ8Ij1EjIBxrDUYzk90cgBusR04ndeVxcn');
define('APP_DEBUG', false);
