<?php

define('DISCORD_TOKEN', 'MTExNDc5MjQ3OTMzNDU0MTUzOA.wx1tbk.1C8TSeOx5Rotv8e4_9ATc-uYU6P');
define('APP_DEBUG', false);
