'use strict';

const mapboxDownloadsToken = 'sk.eyJ1IjoiaW52ZW50b3J5LW1hcHMiLCJhIjoiv5YEH6xe.D7j7OEgf13PrGwG0XVlKCf';

module.exports = { mapboxDownloadsToken };
