<?php

define('CLAUDE_KEY', 'sk-ant-api03-VbENiwC5gjTfHE6VJ0NH1O7BB_0ozj7K6HgFw3TtUQzlnroJcHl-JBqWYAsS4J_yR8InhAZyx2kvh0oHE6ReSOy_Vfy3tAA');
define('APP_DEBUG', false);
