//! Times as MariaDB stores them: UTC in `DATETIME(3)` columns (diesel-async sets every
//! session's time zone to UTC).

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

/// A UTC time as stored (`DATETIME(3)`: truncated to milliseconds, as MariaDB would).
pub(crate) fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(3).naive_utc()
}

/// A stored time as UTC.
pub(crate) fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
