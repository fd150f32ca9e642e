//! Wire times: `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` or epoch milliseconds, read in the
//! configured zone.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

/// Which end of the day or second a wire time means: bounds are inclusive, and the wire shows
/// whole seconds, so an end of `08:03:26` takes in a record stored at 08:03:26.146 (times are
/// kept to the millisecond). Epoch milliseconds are exact either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// `yyyy-MM-dd` is 00:00:00.000 of that day, `yyyy-MM-dd HH:mm:ss` .000 of that second.
    Start,
    /// `yyyy-MM-dd` is 23:59:59.999 of that day, `yyyy-MM-dd HH:mm:ss` .999 of that second.
    End,
}

/// Parses a wire time; `None` when it is none of the three formats.
pub fn parse(value: &str, zone: FixedOffset, bound: DateBound) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i64 = value.parse().ok()?;
        return DateTime::from_timestamp_millis(ms);
    }
    let naive = if let Ok(dt) = NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S") {
        match bound {
            DateBound::Start => dt,
            DateBound::End => dt.with_nanosecond(999_000_000)?,
        }
    } else {
        let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
        let time = match bound {
            DateBound::Start => NaiveTime::MIN,
            DateBound::End => NaiveTime::from_hms_milli_opt(23, 59, 59, 999)?,
        };
        date.and_time(time)
    };
    zone.from_local_datetime(&naive)
        .single()
        .map(|dt| dt.with_timezone(&Utc))
}

/// Reads a time from a JSON value (a string or epoch milliseconds).
pub fn from_json(value: &serde_json::Value, zone: FixedOffset) -> Option<DateTime<Utc>> {
    match value {
        serde_json::Value::String(s) => parse(s, zone, DateBound::Start),
        serde_json::Value::Number(n) => n.as_i64().and_then(DateTime::from_timestamp_millis),
        _ => None,
    }
}

/// Formats as `yyyy-MM-dd HH:mm:ss` in the zone.
pub fn format(time: DateTime<Utc>, zone: FixedOffset) -> String {
    // The fields written directly: `format("%Y-%m-%d %H:%M:%S")` parses its pattern on every
    // call, and exports format two times per row.
    let t = time.with_timezone(&zone);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a zone like `+08:00`.
pub fn parse_zone(value: &str) -> Option<FixedOffset> {
    value.trim().parse::<FixedOffset>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst() -> FixedOffset {
        parse_zone("+08:00").unwrap()
    }

    #[test]
    fn format_writes_what_chrono_writes() {
        let zones = [cst(), FixedOffset::west_opt(3600 * 5 + 1800).unwrap()];
        for secs in [
            0_i64,
            59,
            86_399,
            951_782_400,
            1_565_164_517,
            4_102_444_799,
            -62_000_000_000,
        ] {
            let t = DateTime::from_timestamp(secs, 999_000_000).unwrap();
            for zone in zones {
                let want = t
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string();
                assert_eq!(format(t, zone), want);
            }
        }
    }

    #[test]
    fn three_formats() {
        let a = parse("2019-08-07 15:55:17", cst(), DateBound::Start).unwrap();
        assert_eq!(a.timestamp_millis(), 1_565_164_517_000);
        let b = parse("1565164517924", cst(), DateBound::Start).unwrap();
        assert_eq!(b.timestamp_millis(), 1_565_164_517_924);
        let start = parse("2019-08-07", cst(), DateBound::Start).unwrap();
        let end = parse("2019-08-07", cst(), DateBound::End).unwrap();
        assert_eq!(format(start, cst()), "2019-08-07 00:00:00");
        assert_eq!(format(end, cst()), "2019-08-07 23:59:59");
        assert_eq!(
            end.timestamp_millis() - start.timestamp_millis(),
            86_399_999
        );
        let second = parse("2019-08-07 15:55:17", cst(), DateBound::End).unwrap();
        assert_eq!(
            second.timestamp_millis(),
            1_565_164_517_999,
            "an end takes in its whole second"
        );
        assert!(parse("yesterday", cst(), DateBound::Start).is_none());
        assert!(parse("2019-13-01", cst(), DateBound::Start).is_none());
    }
}
