<?php

define('VAULT_TOKEN', 'hvb.AAAAAQjSMhuzoVoeF1O0q8b7PRXxvieUyPlCgts45ars7-gs-b6eMgcB2h6kaHMoNw8dLywKG2OK2oth1ZyJg-nIoYGlbv_oT8p234urWK-IO27fFMv8qrQGq75l9MqCfdkeRye2mv');
define('APP_DEBUG', false);
