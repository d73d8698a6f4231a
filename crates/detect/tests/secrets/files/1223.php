<?php

define('DROPBOX_ACCESS_TOKEN', 'sl.BJ1LLn5GkrruZBaUHMhZAeG_z1pCqNo_ISjdSny9MKaRhUkLctZHc3ZuWO_kcqNkLMjVXmNhisprPDpdEbFNDtncSgL8SKIrTG5yCSuK8BjaPFBeTHrDlq2vd_yIqjaizX-53pM9Hig');
define('APP_DEBUG', false);
