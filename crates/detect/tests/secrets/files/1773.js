const firebaseConfig = {
  apiKey: "AIzav5ArgLrNxSZ7VjGljE-rhzVW_deZPdQ8SC6",
  authDomain: "orders-8822.firebaseapp.com",
  projectId: "orders-8822",
  messagingSenderId: "945237298972",
  appId: "1:284482005009:web:df75611420263a9ad4622c"
};
initializeApp(firebaseConfig);
