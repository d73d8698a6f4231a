//! drydock-matcher
