'use strict';

const artifactoryToken = 'AKCp8Jo9MUExLxeNsAids54IKk1N8E7q4rBKL0VzG0V2CMSHXQxtLqXDgng90tAUIquL1uY1m';

module.exports = { artifactoryToken };
