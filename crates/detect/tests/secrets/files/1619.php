<?php

define('LDAP_BIND_PW', '5g3Lk6Hz8YSpxbYSrLp0nBAPuRS+Ha2fxxuZSyg8');
define('APP_DEBUG', false);
