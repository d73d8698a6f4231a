const firebaseConfig = {
  apiKey: "AIzaobqGbEzAsWHRipjHlAXxGlybdnmSCcp8SrP",
  authDomain: "gateway-4924.firebaseapp.com",
  projectId: "gateway-4924",
  messagingSenderId: "537025738830",
  appId: "1:215245490132:web:0b7880eeb97ea863b78890"
};
initializeApp(firebaseConfig);
