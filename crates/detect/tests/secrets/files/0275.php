<?php

define('TWILIO_AUTH_TOKEN', 'cbe35c167f1b7145759c8f6aa8619e50');
define('APP_DEBUG', false);
