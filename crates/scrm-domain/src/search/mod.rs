//! Search as people type: the tag logic beside `tagIds` ([`TagMode`]) and the terms of `q`
//! ([`SearchTerm`]), with the one rule of what a term matches ([`term_matches`]) that the
//! memory store applies row by row and the MySQL store answers from its tables. The pinyin
//! spellings a term may match ([`spellings`]) are computed here, so both stores (and the
//! tests' naive reference) spell a name the same way.

mod spelling;
mod terms;

pub use spelling::{MAX_READINGS, spellings, spellings_of};
pub use terms::{MIN_PHONE_DIGITS, Q_MAX_CHARS, SearchTerm, TagMode, parse_terms, term_matches};
