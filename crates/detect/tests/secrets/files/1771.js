const firebaseConfig = {
  apiKey: "AIzanunjOWK9-v-qK0tZDeDwwUWNAnhi6nZoEtC",
  authDomain: "inventory-5967.firebaseapp.com",
  projectId: "inventory-5967",
  messagingSenderId: "512517153344",
  appId: "1:552662253701:web:3a846acb5ddecab247dabe"
};
initializeApp(firebaseConfig);
