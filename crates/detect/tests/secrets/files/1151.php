<?php

define('SONAR_TOKEN', 'sqa_9cdb8561b218419af610483dbcac70d8f594b6e2');
define('APP_DEBUG', false);
