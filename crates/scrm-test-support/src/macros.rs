//! The macros that instantiate the contract suites in an adapter's test binary: each expands
//! to a module of `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]` functions, one
//! per contract function, each calling it with the adapter's factory. Every contract
//! function must be listed here (a unit test below checks that none is forgotten).

/// Expands to one test module per contract of a suite or, with `@sequential`, to a module
/// whose `run_all()` runs them one after the other. Internal: use the suite macros.
#[doc(hidden)]
#[macro_export]
macro_rules! __contract_suite {
    (@sequential $suite:ident, $factory:ident, {
        $( $module:ident = $($seg:ident)::+ [ $($test:ident),* $(,)? ] )*
    }) => {
        pub mod $suite {
            /// Every contract of the suite, one after the other (each named on stderr).
            pub async fn run_all() {
                $({
                    use $crate::contracts::$($seg)::+ as suite;
                    $(
                        eprintln!(concat!(stringify!($suite), "::", stringify!($module), "::", stringify!($test)));
                        suite::$test(super::$factory).await;
                    )*
                })*
            }
        }
    };
    ($suite:ident, $factory:ident, {
        $( $module:ident = $($seg:ident)::+ [ $($test:ident),* $(,)? ] )*
    }) => {
        mod $suite {
            $(
                mod $module {
                    use $crate::contracts::$($seg)::+ as suite;
                    $(
                        #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                        async fn $test() {
                            suite::$test(super::super::$factory).await;
                        }
                    )*
                }
            )*
        }
    };
}

/// `__contract_suite!` with the customer and contact suites added to the modules given: what
/// `relational_contract!` and `customer_contract!` share. Internal.
#[doc(hidden)]
#[macro_export]
macro_rules! __with_customer_suites {
    ($suite:ident, $factory:ident, { $($modules:tt)* }) => {
        $crate::__contract_suite!($suite, $factory, {
            customers_list = customers::list [
                unfiltered_is_newest_first_with_id_desc_on_ties,
                each_filter_alone,
                filters_combine,
                like_wildcards_in_input_match_literally,
                pages_have_exact_totals,
                records_carry_contact_tags_and_names,
                export_batches_cover_every_row_once,
            ]
            customers_write = customers::write [
                field_changes_keep_clear_and_set,
                tags_and_star_change_the_contact,
                unknown_tags_roll_everything_back,
                save_outcomes,
                a_new_profile_copies_the_contacts_owner,
                soft_delete_recycle_bin_and_restore,
            ]
            customers_search = customers::search [
                every_kind_of_term,
                q_combines_with_every_other_filter,
                terms_never_reach_other_tenants_or_siblings,
                tag_modes_any_all_none,
                the_recycle_bin_takes_q_and_tags,
                a_rename_or_new_phone_is_searchable_at_once,
                text_matches_by_case_alone_accents_and_emoji_count,
            ]
            customers_scope = customers::scope [
                each_account_sees_its_scope,
                other_tenants_and_siblings_cannot_write,
                by_phone_is_the_live_matches_of_the_scope_newest_first,
                by_ids_keeps_the_given_order_and_the_scope,
            ]
            contacts = contacts [
                find_shows_the_contact_with_its_account_tags_and_form_of_address,
                find_by_tags_honours_online_account_and_scope,
                find_by_tags_sees_new_contacts_tags_and_accounts_at_once,
                by_ids_keeps_the_given_order_and_the_scope,
                nick_names_are_all_or_nothing,
                conversations_are_those_of_the_scope_in_order,
                conversations_take_long_lists,
            ]
            $($modules)*
        });
    };
}

/// Runs the `CustomerRepository` suites (lists, writes, search, scope) and the
/// `ContactRepository` suite alone in a module `customers`, over the relational ports of the
/// factory (as `relational_contract!`): for repositories that wrap others (the customer index
/// in front of SQL).
#[macro_export]
macro_rules! customer_contract {
    ($factory:expr $(,)?) => {
        async fn __scrm_customer_factory() -> $crate::contracts::RelationalPorts {
            $factory.await
        }
        $crate::__with_customer_suites!(customers, __scrm_customer_factory, {});
    };
}

/// Runs the relational suites (`AccountRepository`, `CustomerRepository`,
/// `ContactRepository`, `ManualEntryRepository`, `ImportRepository`, `CallerLookup`,
/// `DirectoryRepository`) in a module
/// `relational`. The argument is a future (evaluated once per test) of a fresh, empty
/// [`RelationalPorts`](crate::contracts::RelationalPorts):
///
/// ```ignore
/// scrm_test_support::relational_contract!(crate::factory::relational());
/// ```
#[macro_export]
macro_rules! relational_contract {
    ($factory:expr $(,)?) => {
        async fn __scrm_relational_factory() -> $crate::contracts::RelationalPorts {
            $factory.await
        }
        $crate::__with_customer_suites!(relational, __scrm_relational_factory, {
            accounts = accounts [
                by_id_and_the_after_call_switch,
                by_login_name,
                the_password_hash_is_replaced,
            ]
            directory = directory [
                a_main_account_sees_its_tenant,
                a_sub_account_sees_only_its_own,
                another_tenant_is_apart_and_a_missing_tenant_is_none,
            ]
            manual_list = manual::list [
                assignees_have_exact_totals_in_account_order,
                assignees_filter_by_account_and_department,
                assignees_stay_in_the_scope,
                entries_are_ordered_by_order_num_then_id_and_paged,
                an_entry_shows_every_stored_field,
                entry_filters_alone_and_combined,
                entry_text_filters_mind_accents_and_emoji,
                entries_of_another_scope_are_an_empty_page,
                accounts_and_pages_without_a_count,
            ]
            manual_bin = manual::bin [
                delete_and_restore_an_assignee_within_the_scope,
                delete_and_restore_one_entry_within_the_scope,
                restoring_a_phone_that_is_live_again_conflicts_and_changes_nothing,
            ]
            manual_add = manual::add [
                add_takes_the_next_order_num_and_refuses_a_duplicate_phone,
                concurrent_adds_of_one_phone_give_exactly_one_entry,
                by_phone_finds_live_entries_of_one_kind_and_assignee,
            ]
            call = call [
                the_first_source_with_a_match_answers_with_all_its_matches,
                a_caller_s_customers_are_their_whole_records_within_the_scope,
            ]
            manual_dial = manual::dial [
                record_dial_creates_then_updates_the_entry,
                record_dial_needs_a_wechat_account_of_the_scope,
                concurrent_dials_of_one_new_phone_share_one_entry,
            ]
            import = import [
                known_reports_what_exists,
                apply_twice_changes_nothing,
                a_missing_password_hash_keeps_the_stored_one,
                a_wechat_account_changing_hands_moves_its_data,
                a_contacts_tags_are_replaced_only_when_given,
            ]
        });
    };
}

/// Runs the `SessionStore` suite in a module `sessions`. The argument (an async fn's path or
/// a closure) is callable with `ttl_secs: u64` and gives a future of a fresh
/// [`Guarded`](crate::contracts::Guarded)`<dyn SessionStore>` with that idle expiry:
///
/// ```ignore
/// scrm_test_support::session_contract!(crate::factory::sessions);
/// ```
#[macro_export]
macro_rules! session_contract {
    (@sequential $factory:expr $(,)?) => {
        $crate::session_contract!(@mode [@sequential] $factory);
    };
    (@mode [$($mode:tt)*] $factory:expr) => {
        async fn __scrm_session_factory(
            ttl_secs: u64,
        ) -> $crate::contracts::Guarded<dyn $crate::__private::scrm_domain::session::SessionStore> {
            ($factory)(ttl_secs).await
        }
        $crate::__contract_suite!($($mode)* sessions, __scrm_session_factory, {
            contract = sessions [
                a_session_round_trips,
                unknown_malformed_and_deleted_tokens_have_no_session,
                sessions_expire_unless_used,
                delete_account_ends_every_session_of_that_account_only,
            ]
        });
    };
    ($factory:expr $(,)?) => {
        $crate::session_contract!(@mode [] $factory);
    };
}

/// Runs the `LoginThrottle` suite in a module `throttle`. The argument (an async fn's path or
/// a closure) is callable with the [`ThrottleLimits`](scrm_domain::throttle::ThrottleLimits)
/// the suite chooses (short windows) and gives a future of a fresh
/// [`Guarded`](crate::contracts::Guarded)`<dyn LoginThrottle>` with those limits:
///
/// ```ignore
/// scrm_test_support::throttle_contract!(crate::factory::throttle);
/// ```
#[macro_export]
macro_rules! throttle_contract {
    (@sequential $factory:expr $(,)?) => {
        $crate::throttle_contract!(@mode [@sequential] $factory);
    };
    (@mode [$($mode:tt)*] $factory:expr) => {
        async fn __scrm_throttle_factory(
            limits: $crate::__private::scrm_domain::throttle::ThrottleLimits,
        ) -> $crate::contracts::Guarded<dyn $crate::__private::scrm_domain::throttle::LoginThrottle> {
            ($factory)(limits).await
        }
        $crate::__contract_suite!($($mode)* throttle, __scrm_throttle_factory, {
            contract = throttle [
                a_name_is_refused_past_its_limit_from_any_address,
                an_address_is_refused_past_its_limit_whatever_the_name,
                a_success_clears_the_name_but_takes_back_only_its_own_attempt_from_the_address,
                parallel_attempts_cannot_pass_a_limit,
                windows_end_and_refused_attempts_do_not_stretch_them,
            ]
        });
    };
    ($factory:expr $(,)?) => {
        $crate::throttle_contract!(@mode [] $factory);
    };
}

/// Runs the `MessageStore` suite in a module `messages`. The argument (an async fn's path or
/// a closure) is callable with the retention cap `Option<usize>` (most messages kept per conversation; `None` keeps all) and
/// gives a future of a fresh [`Guarded`](crate::contracts::Guarded)`<dyn MessageStore>`:
///
/// ```ignore
/// scrm_test_support::message_contract!(crate::factory::messages);
/// ```
#[macro_export]
macro_rules! message_contract {
    (@sequential $factory:expr $(,)?) => {
        $crate::message_contract!(@mode [@sequential] $factory);
    };
    (@mode [$($mode:tt)*] $factory:expr) => {
        async fn __scrm_message_factory(
            cap: Option<usize>,
        ) -> $crate::contracts::Guarded<dyn $crate::__private::scrm_domain::message::MessageStore> {
            ($factory)(cap).await
        }
        $crate::__contract_suite!($($mode)* messages, __scrm_message_factory, {
            append = messages [
                append_is_idempotent_by_msg_id_within_a_conversation,
            ]
            paging = messages::paging [
                one_conversation_pages_newest_first_with_ties_by_msg_id_descending,
                counts_use_inclusive_bounds_and_unknown_conversations_are_empty,
                merged_pages_equal_a_naive_reference,
            ]
            retention = messages::retention [
                a_cap_keeps_the_newest_messages_of_each_conversation,
                a_cap_breaks_create_time_ties_by_msg_id,
                without_a_cap_everything_stays,
            ]
        });
    };
    ($factory:expr $(,)?) => {
        $crate::message_contract!(@mode [] $factory);
    };
}

/// Runs the `FriendRequestQueue` suite in a module `friend_requests`. The argument is a
/// future of a fresh [`Guarded`](crate::contracts::Guarded)`<dyn FriendRequestQueue>`:
///
/// ```ignore
/// scrm_test_support::friend_queue_contract!(crate::factory::friend_requests());
/// ```
#[macro_export]
macro_rules! friend_queue_contract {
    (@sequential $factory:expr $(,)?) => {
        $crate::friend_queue_contract!(@mode [@sequential] $factory);
    };
    (@mode [$($mode:tt)*] $factory:expr) => {
        async fn __scrm_friend_queue_factory()
        -> $crate::contracts::Guarded<dyn $crate::__private::scrm_domain::manual::FriendRequestQueue> {
            $factory.await
        }
        $crate::__contract_suite!($($mode)* friend_requests, __scrm_friend_queue_factory, {
            contract = friend_requests [
                enqueue_returns_distinct_ids,
                concurrent_enqueues_get_distinct_ids,
            ]
        });
    };
    ($factory:expr $(,)?) => {
        $crate::friend_queue_contract!(@mode [] $factory);
    };
}

/// Runs the `HealthProbe` suite in a module `health`. The argument is a future of a
/// [`Guarded`](crate::contracts::Guarded)`<dyn HealthProbe>` on a reachable store:
///
/// ```ignore
/// scrm_test_support::health_contract!(crate::factory::health());
/// ```
#[macro_export]
macro_rules! health_contract {
    (@sequential $factory:expr $(,)?) => {
        $crate::health_contract!(@mode [@sequential] $factory);
    };
    (@mode [$($mode:tt)*] $factory:expr) => {
        async fn __scrm_health_factory()
        -> $crate::contracts::Guarded<dyn $crate::__private::scrm_domain::health::HealthProbe> {
            $factory.await
        }
        $crate::__contract_suite!($($mode)* health, __scrm_health_factory, {
            contract = health[ping_answers]
        });
    };
    ($factory:expr $(,)?) => {
        $crate::health_contract!(@mode [] $factory);
    };
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The names of the contract functions (`pub async fn NAME(factory: ...`) under `dir`,
    /// the fixture's loaders aside.
    fn contract_functions(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                contract_functions(&path, out);
                continue;
            }
            if path.ends_with("fixture.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("pub async fn ").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let params = part[name.len()..].trim_start_matches('(').trim_start();
                if params.starts_with("factory:") {
                    out.push(name);
                }
            }
        }
    }

    #[test]
    fn every_contract_function_is_listed_in_its_macro() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut names = Vec::new();
        contract_functions(&src.join("contracts"), &mut names);
        assert!(names.len() > 40, "{names:?}");
        let macros = std::fs::read_to_string(src.join("macros.rs")).unwrap();
        let listed = |name: &str| {
            macros.lines().any(|l| {
                let l = l.trim().trim_end_matches(',');
                l == name || l.ends_with(&format!("[{name}]"))
            })
        };
        let missing: Vec<&String> = names.iter().filter(|n| !listed(n)).collect();
        assert!(missing.is_empty(), "not in any suite macro: {missing:?}");
    }
}
