const stripe = Stripe('pk_live_vdXx8Dlk2JmsVVDWFdvXCfcIB5UAdFn5yXTsCZwx8zCrkO0NfJpYYcBgbCf5vPLXqXgqaGjjOEqBS03IBkDrzak9kmyPHIHNSFe');
stripe.redirectToCheckout({ sessionId });
