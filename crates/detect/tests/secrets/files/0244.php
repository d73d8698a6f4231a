<?php

define('SQUARE_ACCESS_TOKEN', 'EAAAJbO9_Bo-NZPjWSvAhPx_DHyW_jqQehTyrtbXRjZ3_hVMV9jF6deV1mfmOWrH');
define('APP_DEBUG', false);
