<?php

define('HEROKU_TOKEN', 'HRKU-AAKnS1aHtr0sFL_6U9sGfyh2z_74bWf88OAhf4npgj3d3DZ82gHqLIGWUFG8');
define('APP_DEBUG', false);
