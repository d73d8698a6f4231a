<?php

define('GRAFANA_SERVICE_ACCOUNT_TOKEN', 'glsa_7I4Y7MAGPT9im4OqgUvDskZukg5rJItY_edc9fd94');
define('APP_DEBUG', false);
