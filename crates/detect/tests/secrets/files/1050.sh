#!/bin/bash
TOKEN='ATCTT3xFfGN0eK65JWPEnvawWNCOgvELMdj4QJOW04h9uNTfLZBJ_P5fQCkQ7pyJahsVYM_1xUiBhKkQ2PA3_Kp1zKoaX0efc9JoG8dUtxQ4OI1XNAdnM_cLO68DHsZR8mIEyzT0ieAMocUe1zNiOpd7p2YbVqBYp2cM9RtZeq7OYdPIgRUuQ7pgnpdKiAAg=3D39D842'
curl -fsSL -H "Authorization: token $TOKEN" "$URL" -o /tmp/a.tgz
