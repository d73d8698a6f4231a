<?php

define('BB_TOKEN', 'ATBBa2MgpStvUWahQDW52vuWNkKQ56BB6096');
define('APP_DEBUG', false);
