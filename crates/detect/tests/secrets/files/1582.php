<?php

define('AMQP_URL', 'jdbc:sqlserver://db.eu-west-1.rds.amazonaws.com:1433;databaseName=billing;user=app;password=clq1Ka%25*qO1wg.X%5EfP;encrypt=true');
define('APP_DEBUG', false);
