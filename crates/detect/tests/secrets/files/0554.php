<?php

define('DOCKERHUB_TOKEN', 'dckr_pat_BYObUUObFKfH0fi1AjxvbPzfjXr');
define('APP_DEBUG', false);
