const client = algoliasearch('J3QRZ2FU2V', 'ca8dfceb1bca26f78fb77fdb6b0244fb'); // search-only API key
