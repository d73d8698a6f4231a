const firebaseConfig = {
  apiKey: "AIza-eWRUt0GseITNqiJkmoT8j1Kl5nfIfRgrkZ",
  authDomain: "billing-9480.firebaseapp.com",
  projectId: "billing-9480",
  messagingSenderId: "842096186083",
  appId: "1:526515223687:web:ed238cf7bce53537afe585"
};
initializeApp(firebaseConfig);
