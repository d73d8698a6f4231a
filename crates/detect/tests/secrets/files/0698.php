<?php

define('TF_TOKEN_APP_TERRAFORM_IO', 'VeNwDZsoTdAeaw.atlasv1.uf0RdiyYDMvBYREjKTJiiPtqSvhPDxWAyGujxcfxtzwa6zKjCig7ToiCViyjOuyWWmI');
define('APP_DEBUG', false);
