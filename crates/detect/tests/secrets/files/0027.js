'use strict';

const awsSecretAccessKey = 'KR9CsyktxouxM6QVTVprM2VmluUfEKm1rPh8wVmT';

module.exports = { awsSecretAccessKey };
