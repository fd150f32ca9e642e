//! `WireTime`: a time filter's bound in one of the wire's three formats.

use chrono::{DateTime, FixedOffset, Utc};
use scrm_domain::time::{self, DateBound};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use super::{REQUIRED, integer, one_of, parse_value, string};

/// `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd` (blanks around allowed), or nothing.
const TIME_PATTERN: &str = r"^\s*([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])( ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?)?\s*$";

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
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => Err(NOT_A_TIME),
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

    use super::{WireTime, wire_time};

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
        assert!(matches!(wire_time(&json!(5)), Ok(WireTime::Instant(_))));
    }
}
