'use strict';

const bearer = 'AAAAAAAAAAAAAAAAAAAAAAYQrYAAAAAAAAaoSqdb%2B9vjHvmL9ky1jFvLMD4pcijpB%3Dri3tsB0otoxmDXdfrjUJ0aTH3gegsoHSko0ePEjKHsrW7tnwDM';

module.exports = { bearer };
