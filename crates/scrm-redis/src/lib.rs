//! scrm-redis
