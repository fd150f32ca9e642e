//! Redis errors mapped once to `StoreError`: connection trouble is `Unavailable` (pool errors
//! are mapped by `pool`), and so is a Redis Cluster in the middle of a failover.

use deadpool_redis::redis::{ErrorKind, RedisError, ServerErrorKind};
use scrm_domain::StoreError;

/// Maps a command error.
pub(crate) fn map_redis_error(err: RedisError) -> StoreError {
    if err.is_io_error()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
        || err.is_timeout()
        || cluster_in_motion(&err)
    {
        StoreError::Unavailable(format!("redis: {err}"))
    } else {
        StoreError::Unexpected(format!("redis: {err}"))
    }
}

/// Whether `err` says that a Redis Cluster cannot serve the keys now: the client found no
/// connection to the node of a slot, or the server answered (every command of a pipeline or
/// transaction, when it was one) with an error of a cluster in motion, which the cluster
/// client follows while it can: a master lost and not yet replaced (`CLUSTERDOWN`,
/// `MASTERDOWN`, `TRYAGAIN`), slots that moved (`MOVED`, `ASK`), a node demoted or still
/// loading (`READONLY`, `LOADING`). Seen under a failover: a transaction sent to another node
/// while the dead master still held the slot came back aborted with `MOVED` for each command.
fn cluster_in_motion(err: &RedisError) -> bool {
    if err.kind() == ErrorKind::ClusterConnectionNotFound {
        return true;
    }
    err.clone().into_server_errors().is_some_and(|errors| {
        !errors.is_empty()
            && errors.iter().all(|(_, e)| {
                matches!(
                    e.kind(),
                    Some(
                        ServerErrorKind::ClusterDown
                            | ServerErrorKind::MasterDown
                            | ServerErrorKind::TryAgain
                            | ServerErrorKind::Moved
                            | ServerErrorKind::Ask
                            | ServerErrorKind::ReadOnly
                            | ServerErrorKind::BusyLoading
                    )
                )
            })
    })
}

#[cfg(test)]
mod tests {
    use deadpool_redis::redis::{Cmd, ConnectionLike, RedisResult, Value, parse_redis_value, pipe};

    use super::*;

    /// A connection whose every reply is the RESP text `reply` (one per command).
    struct Replies(&'static str);

    impl ConnectionLike for Replies {
        fn req_packed_command(&mut self, _: &[u8]) -> RedisResult<Value> {
            parse_redis_value(self.0.as_bytes())
        }

        fn req_packed_commands(&mut self, _: &[u8], _: usize, n: usize) -> RedisResult<Vec<Value>> {
            (0..n)
                .map(|_| parse_redis_value(self.0.as_bytes()))
                .collect()
        }

        fn get_db(&self) -> i64 {
            0
        }

        fn check_connection(&mut self) -> bool {
            true
        }

        fn is_open(&self) -> bool {
            true
        }
    }

    fn command_error(reply: &'static str) -> RedisError {
        Cmd::new()
            .arg("GET")
            .arg("k")
            .query::<Value>(&mut Replies(reply))
            .expect_err("an error reply")
    }

    fn pipeline_error(reply: &'static str) -> RedisError {
        let mut p = pipe();
        p.cmd("HSETNX").arg("h").arg("f").arg("v");
        p.cmd("ZADD").arg("z").arg(1).arg("f");
        p.query::<Vec<Value>>(&mut Replies(reply))
            .expect_err("error replies")
    }

    fn unavailable(err: RedisError) -> bool {
        matches!(map_redis_error(err), StoreError::Unavailable(_))
    }

    #[test]
    fn a_cluster_in_the_middle_of_a_failover_is_unavailable() {
        for reply in [
            "-CLUSTERDOWN The cluster is down\r\n",
            "-MASTERDOWN Link with MASTER is down\r\n",
            "-TRYAGAIN Multiple keys request during rehashing of slot\r\n",
            "-MOVED 981 127.0.0.1:26385\r\n",
            "-ASK 981 127.0.0.1:26385\r\n",
            "-READONLY You can't write against a read only replica.\r\n",
            "-LOADING Redis is loading the dataset in memory\r\n",
        ] {
            assert!(unavailable(command_error(reply)), "{reply}");
            assert!(unavailable(pipeline_error(reply)), "a pipeline: {reply}");
        }
        let lost = RedisError::from((ErrorKind::ClusterConnectionNotFound, "no connection"));
        assert!(unavailable(lost));
    }

    #[test]
    fn other_server_errors_are_unexpected() {
        for reply in [
            "-ERR unknown command 'NOPE'\r\n",
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n",
        ] {
            assert!(!unavailable(command_error(reply)), "{reply}");
            assert!(!unavailable(pipeline_error(reply)), "a pipeline: {reply}");
        }
    }
}
