Sentry.init({ dsn: "https://8195c6356f3f6668be3861041e85667f@o730799.ingest.sentry.io/6783854" });
