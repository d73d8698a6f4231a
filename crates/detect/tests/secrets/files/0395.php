<?php

define('BOT_TOKEN', '4961782902:AAqufTC-ZkSO_AAEzMt6eeLz10MiqBucFfu');
define('APP_DEBUG', false);
