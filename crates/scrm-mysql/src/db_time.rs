//! Times as MariaDB stores them: UTC in `DATETIME(3)` columns (diesel-async sets every
//! session's time zone to UTC).

use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};

/// A UTC time as stored (`DATETIME(3)`: truncated to milliseconds, as MariaDB would).
pub(crate) fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(3).naive_utc()
}

/// A stored time as UTC.
pub(crate) fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A filter's bound on a stored time (`DATETIME` holds the years 1000 to 9999; a bound beyond
/// them cannot be sent: a local date of year 0 that the zone moves to year -1, epoch
/// milliseconds far out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// Compare with this stored time.
    At(NaiveDateTime),
    /// Every stored time is on the bound's side: no condition.
    Always,
    /// No stored time is: nothing matches.
    Never,
}

/// The earliest and latest times a `DATETIME` holds.
fn db_range() -> (NaiveDateTime, NaiveDateTime) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    (
        day(1000, 1, 1).and_hms_opt(0, 0, 0).unwrap_or_default(),
        day(9999, 12, 31)
            .and_hms_milli_opt(23, 59, 59, 999)
            .unwrap_or_default(),
    )
}

/// `stored >= t` as a bound.
pub(crate) fn since_bound(t: DateTime<Utc>) -> Bound {
    let (first, last) = db_range();
    let t = to_db(t);
    if t <= first {
        Bound::Always
    } else if t > last {
        Bound::Never
    } else {
        Bound::At(t)
    }
}

/// `stored <= t` as a bound.
pub(crate) fn until_bound(t: DateTime<Utc>) -> Bound {
    let (first, last) = db_range();
    let t = to_db(t);
    if t >= last {
        Bound::Always
    } else if t < first {
        Bound::Never
    } else {
        Bound::At(t)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use super::{Bound, since_bound, until_bound};

    #[test]
    fn bounds_beyond_a_datetime_are_always_or_never() {
        let y = |year| Utc.with_ymd_and_hms(year, 6, 1, 0, 0, 0).unwrap();
        assert_eq!(since_bound(DateTime::<Utc>::MIN_UTC), Bound::Always);
        assert_eq!(since_bound(y(-1)), Bound::Always);
        assert_eq!(since_bound(y(10_000)), Bound::Never);
        assert_eq!(until_bound(y(-1)), Bound::Never);
        assert_eq!(until_bound(DateTime::<Utc>::MAX_UTC), Bound::Always);
        assert!(matches!(since_bound(y(2026)), Bound::At(_)));
        assert!(matches!(until_bound(y(1000)), Bound::At(_)));
        assert!(matches!(since_bound(y(9999)), Bound::At(_)));
    }
}
