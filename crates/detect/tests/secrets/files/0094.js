window.__ENV__ = {
  AZURE_STORAGE_KEY: "Sj/t/RrNvebdZZd4DpbRjIF1nkj9vqpmWjYdeorwdPFkn6e93thtYqOy51HNbALgE/gDoo3ro+UqQyoXb6i0RQ==",
  RELEASE: "2025.1"
};
