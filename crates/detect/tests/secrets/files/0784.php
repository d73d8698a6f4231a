<?php

define('DOPPLER_TOKEN', 'dp.pt.0DRYVKnZoEXsZIAWCYQHDprpHtbaLCGXb9XcDhDQaOH');
define('APP_DEBUG', false);
