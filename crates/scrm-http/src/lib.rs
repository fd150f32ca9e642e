//! scrm-http
