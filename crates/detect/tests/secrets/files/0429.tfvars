region      = "eu-west-1"
bearer      = "AAAAAAAAAAAAAAAAAAAAAAynyzAAAAAAAAsKZzta%2BUDVx3RMI7HF97tKxo1zo629H%3DmlbsJPFNWG8X0UyAXjQtdIwwSyIArqvmQycxItuBAyz1WZOt7o"
environment = "prod"
