<?php

define('AWS_SECRET_KEY', '2uosToSCWsu6X6KrW9WBbjRogDHiZyPt3VC/Oajv');
define('APP_DEBUG', false);
