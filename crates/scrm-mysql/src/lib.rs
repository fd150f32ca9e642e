//! scrm-mysql
