<?php

define('TFE_TOKEN', 'mrn8p2B7Hgjtmd.atlasv1.JB16YFZlTclztRZjI3ln7t8Vxg3mjiOwoZ5VSLwx2m20fZ7kme1s7SuH8w0qN98QzGA');
define('APP_DEBUG', false);
