<?php

define('TWINE_PASSWORD', 'pypi-AgEIcHlwaS5vcmc6xVGUDRpS3anQ3_UpF7u-0Dc04pgkrQMn7JABXpDCS9NHwtDrY6WKevYpvHywpuX4oLC9tIFMBqP_NuUr6o8yT7IwzV2LFEKRDGpSLJOStEHPEu_13xJkrEtvzMwh6cScYAwhg');
define('APP_DEBUG', false);
