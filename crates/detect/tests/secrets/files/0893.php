<?php

define('DATADOG_APP_KEY', '85d47d7b7addcbeb58f9f11ba33eb4e8');
define('APP_DEBUG', false);
