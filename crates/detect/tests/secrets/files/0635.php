<?php

define('DIGITALOCEAN_TOKEN', 'dop_v1_d64f029988ba3edc6d98a0e01c938e77ace99ee3c6cbd4d8f28e6211c9083457');
define('APP_DEBUG', false);
