<?php

define('AZURE_STORAGE_CONNECTION_STRING', 'DefaultEndpointsProtocol=https;AccountName=streports632;AccountKey=F/LXhzCBu7CPema+qsqpfHhLCaQILAwLqUaKpVULfN3YvG9G3ZQxm1tSVzK/CGKL0onySecldCtKy/OmY+Glyg==;EndpointSuffix=core.windows.net');
define('APP_DEBUG', false);
