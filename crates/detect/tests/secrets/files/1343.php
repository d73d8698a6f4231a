<?php

define('ANTHROPIC_API_KEY', 'sk-ant-api03-QXjtd7DinvrZEfNDcx5DkwhoGxt7VloAFW-f_YLO73EEuf4ULj8viiRXulyCHC_5vN0xXhCuLZgJclLhIg_sbK8oWgh5tAA');
define('APP_DEBUG', false);
