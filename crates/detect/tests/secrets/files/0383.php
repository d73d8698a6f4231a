<?php

define('TG_TOKEN', '1004272357:AA2rJlo6kLm39j-3VirViYc3REJM29ndYtJ');
define('APP_DEBUG', false);
