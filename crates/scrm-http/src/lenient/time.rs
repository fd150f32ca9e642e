//! `WireTime`: a time filter's bound in one of the wire's three formats.

use chrono::{DateTime, FixedOffset, Utc};
use scrm_domain::time::{self, DateBound};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use super::{REQUIRED, integer, one_of, parse_value, string};

/// `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd` (blanks around allowed), or nothing: exactly the
/// dates of the Gregorian calendar (month lengths, 29 February of leap years), as the parser
/// takes them. (It stopped at the 28th of every month until 2026-12-08, so a client checking
/// against the document refused month ends the server takes.)
const TIME_PATTERN: &str = concat!(
    r"^\s*(",
    r"([0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)",
    r"|02-(0[1-9]|1[0-9]|2[0-8]))",
    r"|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)",
    r"( ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?",
    r")?\s*$"
);

/// The error of anything else.
const NOT_A_TIME: &str = "must be yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or epoch milliseconds";

/// A time: `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` or epoch milliseconds (a number or digits).
/// Text is read in the server's zone (`at`), where a bare date is the start or the end of
/// that day depending on the bound it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireTime {
    /// Epoch milliseconds given as a number.
    Instant(DateTime<Utc>),
    /// Text in one of the three formats, trimmed.
    Text(String),
}

impl WireTime {
    /// The time in `zone`; a bare date is the start or the end of its day per `bound`. A
    /// local time so far out that the zone cannot move it is the widest bound instead.
    pub fn at(&self, zone: FixedOffset, bound: DateBound) -> DateTime<Utc> {
        match self {
            Self::Instant(t) => *t,
            Self::Text(text) => time::parse(text, zone, bound).unwrap_or(match bound {
                DateBound::Start => DateTime::<Utc>::MIN_UTC,
                DateBound::End => DateTime::<Utc>::MAX_UTC,
            }),
        }
    }
}

fn wire_time(value: &Value) -> Result<WireTime, &'static str> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .and_then(DateTime::from_timestamp_millis)
            .map(WireTime::Instant)
            .ok_or(NOT_A_TIME),
        Value::Null => Err(REQUIRED),
        Value::String(s) if s.trim().is_empty() => Err(REQUIRED),
        Value::String(s) => {
            let text = s.trim();
            time::parse(
                text,
                FixedOffset::east_opt(0).ok_or(NOT_A_TIME)?,
                DateBound::Start,
            )
            .map(|_| WireTime::Text(text.to_owned()))
            .ok_or(NOT_A_TIME)
        }
        Value::Array(_) => Err(super::ONCE),
        Value::Bool(_) | Value::Object(_) => Err(NOT_A_TIME),
    }
}

lenient_type!(
    WireTime,
    wire_time,
    one_of(
        "A time in the server's zone (SCRM_TIMEZONE): `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd` \
         (as an end bound: the end of that day) or epoch milliseconds; bounds are \
         inclusive; an empty string means not given.",
        vec![
            string("`yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`, or empty.")
                .pattern(Some(TIME_PATTERN))
                .examples(["2019-08-07 15:55:17"])
                .into(),
            integer("Epoch milliseconds.").into(),
        ],
    )
);

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;
    use scrm_domain::time::DateBound;
    use serde_json::json;

    use super::{TIME_PATTERN, WireTime, wire_time};

    /// The published pattern takes a date exactly when the parser does: every day number
    /// from 00 to 32 of every month, in common, leap and century years.
    #[test]
    fn the_pattern_takes_exactly_the_dates_the_parser_takes() {
        let pattern = regex::Regex::new(TIME_PATTERN).unwrap();
        for year in [1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let date = format!("{year:04}-{month:02}-{day:02}");
                    for text in [date.clone(), format!("{date} 23:59:59")] {
                        let parsed = wire_time(&json!(text)).is_ok();
                        assert_eq!(pattern.is_match(&text), parsed, "{text}");
                    }
                }
            }
        }
        for text in [
            "",
            " 2024-02-29 ",
            "2026-12-31 24:00:00",
            "2026-12-31 23:60:00",
        ] {
            let parsed = text.trim().is_empty() || wire_time(&json!(text)).is_ok();
            assert_eq!(pattern.is_match(text), parsed, "{text:?}");
        }
        // The parser is kinder than the document: it also takes numbers without their zero.
        assert!(!pattern.is_match("2026-1-31") && wire_time(&json!("2026-1-31")).is_ok());
    }

    #[test]
    fn three_formats_in_the_zone() {
        let cst = FixedOffset::east_opt(8 * 3600).unwrap();
        let at = |v: serde_json::Value, bound| wire_time(&v).unwrap().at(cst, bound);
        let ms = |v: serde_json::Value, bound| at(v, bound).timestamp_millis();
        assert_eq!(
            ms(json!("2019-08-07 15:55:17"), DateBound::Start),
            1_565_164_517_000
        );
        assert_eq!(
            ms(json!(" 1565164517924 "), DateBound::End),
            1_565_164_517_924
        );
        assert_eq!(
            ms(json!(1_565_164_517_924_i64), DateBound::End),
            1_565_164_517_924
        );
        let day =
            ms(json!("2019-08-07"), DateBound::End) - ms(json!("2019-08-07"), DateBound::Start);
        assert_eq!(day, 86_399_999);
        for bad in [
            json!("yesterday"),
            json!("2019-13-01"),
            json!(true),
            json!([1]),
            json!(1.5),
        ] {
            assert!(wire_time(&bad).is_err(), "{bad}");
        }
        assert_eq!(wire_time(&json!(["1", "2"])), Err(super::super::ONCE));
        assert!(matches!(wire_time(&json!(5)), Ok(WireTime::Instant(_))));
    }
}
