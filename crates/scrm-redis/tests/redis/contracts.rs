//! The contract suites of `scrm-test-support`, run against Redis: every test gets a key
//! prefix of its own from `factory`.

scrm_test_support::session_contract!(crate::factory::sessions);
scrm_test_support::throttle_contract!(crate::factory::throttle);
scrm_test_support::message_contract!(crate::factory::messages);
scrm_test_support::friend_queue_contract!(crate::factory::friend_requests());
scrm_test_support::health_contract!(crate::factory::health());
