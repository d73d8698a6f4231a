set -e
curl -s -H "Authorization: SSWS 00BpEdVo2zJu2fbPe3f1abhn19HqMjOINo9tGtcCKX" https://acme.okta.com/api/v1/users
