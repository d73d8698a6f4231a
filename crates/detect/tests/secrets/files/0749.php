<?php

define('PULUMI_ACCESS_TOKEN', 'pul-55038e0dce6e6d0c88064db53bb64909ce993dbc');
define('APP_DEBUG', false);
