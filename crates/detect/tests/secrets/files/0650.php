<?php

define('DBX_TOKEN', 'dapi237c26c294865009a9550c0b8a531338-2');
define('APP_DEBUG', false);
