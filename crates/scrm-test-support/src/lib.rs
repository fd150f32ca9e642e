//! scrm-test-support
