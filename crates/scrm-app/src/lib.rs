//! scrm-app
