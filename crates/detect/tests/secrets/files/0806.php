<?php

define('FLY_ACCESS_TOKEN', 'FlyV1 fo1_yb0K-t3HUcWyJXkILRs0Etg6fnYzCsTMHuHJmDkIIDR');
define('APP_DEBUG', false);
