<?php

define('DO_TOKEN', 'dor_v1_3327017e4c2014e94f06f1d25689b84c830761cb90e7e3fe064b15816e4d125b');
define('APP_DEBUG', false);
