#!/bin/bash
TOKEN='ATCTT3xFfGN0497Fd3Ky8vXe9lwBg2YnAB3Xy5Hp_z8lTyzbwI87gPPntHw41rkHcxDP230zFpljH-tAr8Apnl1C2enuZ8XieELY0Qf2XP-xPZac9lPrbFki3Hv4lWwSzt4HNtK-tT1T3rcld22mF4K3QSVMnMELL_-crkUgs7c-nWfT0jbNYqc7IoTAAsi4=36C383BD'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
