<?php

define('CONFLUENT_API_SECRET', '84lMkRaeSN7lcRnbdwF17WZqXBOrMnOdJXrgD9vUUSmdyWA4rlhnpPDRlOxepVDY');
define('APP_DEBUG', false);
