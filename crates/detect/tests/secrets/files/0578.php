<?php

define('ARTIFACTORY_API_KEY', 'cmVmdGtuOjAxOjYwMTEwMDUyNTM6U0hnc0VXTm1HWkVZUTRLRzl1eTdDVmtwUWNadg');
define('APP_DEBUG', false);
