<?php

define('NUGET_API_KEY', 'oy2brb8mgwgilbncwkmdsg6lpwgseqnnxafzr6x4d6y740');
define('APP_DEBUG', false);
