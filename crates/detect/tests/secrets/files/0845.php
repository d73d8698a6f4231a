<?php

define('OPENSHIFT_TOKEN', 'sha256~xWUWpDUnZt3m-c_DljvwI91izqfdpdkkAOe4hTuLRz1');
define('APP_DEBUG', false);
