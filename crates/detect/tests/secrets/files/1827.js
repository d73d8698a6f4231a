mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZSIsImEiOiJ8uJvbzGylLQrFA.xlFxu3S44EtqPy3AEhzWFB';
