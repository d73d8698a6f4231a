<?php

define('DOCKERHUB_TOKEN', 'dckr_pat_qFu5NAH8Gg7nkPO-EDdnKD1pud_');
define('APP_DEBUG', false);
