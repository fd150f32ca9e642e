//! The contract suites of `scrm-test-support`, run against MariaDB: every test gets a
//! database of its own from `factory`.

scrm_test_support::relational_contract!(crate::factory::relational());
scrm_test_support::health_contract!(crate::factory::health());
