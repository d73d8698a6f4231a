set -e
curl -s -H "Authorization: SSWS 00Z9xm3STEo8b0QsUag1b3zv9GKVJHQqHk4E6fgnLe" https://acme.okta.com/api/v1/users
