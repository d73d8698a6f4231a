<?php

define('GEM_HOST_API_KEY', 'rubygems_bb35e268207dfa38f991792a80aa6881ad9a54025f8a8e4c');
define('APP_DEBUG', false);
