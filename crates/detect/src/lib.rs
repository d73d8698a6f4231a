//! drydock-detect
