'use strict';

const exportContainerUrl = 'https://stsearch.blob.core.windows.net/exports?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-06-16T05:00:00Z&st=2025-08-04T10:00:00Z&spr=https&sig=Vqww72Pk98vKzzbcsDba2dDIGNtZIIwXbDcGH2hMgx0%3D';

module.exports = { exportContainerUrl };
