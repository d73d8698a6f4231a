<?php

define('MAPBOX_DOWNLOADS_TOKEN', 'sk.eyJ1Ijoic2VhcmNoLW1hcHMiLCJhIjoiMyVv2rpF.YV61a1Kojz7QGh-DOQMBxx');
define('APP_DEBUG', false);
