<?php

define('PSCALE_TOKEN', 'pscale_oauth__RGFyHMGyv0POIff7ZK3buRYHqqnqtAeUUjGqAdBrle');
define('APP_DEBUG', false);
