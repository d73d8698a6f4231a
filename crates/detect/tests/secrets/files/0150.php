<?php

define('GITLAB_TOKEN', 'glrt-t2_Be1zd6tvLu1LjyMiE5xaeGM6cQpvOjF3cjAKdTo1Z3NkahI.01.1b1s0jz45');
define('APP_DEBUG', false);
