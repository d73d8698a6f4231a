<?php

define('DBX_TOKEN', 'dapi01f468af7e14cc687f08d75c19974b49');
define('APP_DEBUG', false);
