//! The pinyin spellings of a name: for each combination of readings of its Chinese
//! characters (every reading of a polyphonic one, simplified and traditional alike, from the
//! `pinyin` crate's tables), the full pinyin (`張偉明` → `zhangweiming`) and the initials
//! (`zwm`), lower case, no tones, no separators; any other character stands for itself,
//! lower-cased, and whitespace is dropped.
//!
//! The crate is a pure table lookup (no I/O), so it sits in the domain beside the rule it
//! serves: both stores and the tests' reference spell names through this one function.

use pinyin::ToPinyinMulti;

/// Most reading combinations spelled per name: a name of many polyphonic characters is
/// spelled by its first combinations (the last characters' readings varying first).
pub const MAX_READINGS: usize = 16;

/// The distinct spellings (full pinyin, then initials, per combination) of a name; none for
/// a name without letters, digits or Chinese characters.
pub fn spellings(name: &str) -> Vec<String> {
    // Per character: its readings as (full, initial) pairs, or itself.
    let mut parts: Vec<Vec<(String, String)>> = Vec::new();
    for ch in name.chars().filter(|c| !c.is_whitespace()) {
        let readings: Vec<(String, String)> = match ch.to_pinyin_multi() {
            Some(multi) => {
                let mut rs: Vec<(String, String)> = Vec::new();
                for p in multi {
                    let full = p.plain().to_owned();
                    if !rs.iter().any(|(f, _)| *f == full) {
                        rs.push((full, p.first_letter().to_owned()));
                    }
                }
                rs
            }
            None => {
                let s: String = ch.to_lowercase().collect();
                vec![(s.clone(), s)]
            }
        };
        parts.push(readings);
    }
    if parts.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut choice = vec![0_usize; parts.len()];
    for _ in 0..MAX_READINGS {
        let (mut full, mut initials) = (String::new(), String::new());
        for (part, &k) in parts.iter().zip(&choice) {
            full.push_str(&part[k].0);
            initials.push_str(&part[k].1);
        }
        for s in [full, initials] {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        // The next combination, the last character varying first; done after the last.
        let mut i = parts.len();
        loop {
            if i == 0 {
                return out;
            }
            i -= 1;
            choice[i] += 1;
            if choice[i] < parts[i].len() {
                break;
            }
            choice[i] = 0;
        }
    }
    out
}

/// The distinct spellings of several names (a customer's three).
pub fn spellings_of<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        for s in spellings(name) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_pinyin_and_initials_of_simplified_and_traditional() {
        // 明 has a second reading (meng), spelled after the first.
        assert_eq!(spellings("張偉明")[..2], ["zhangweiming", "zwm"]);
        assert_eq!(spellings("张伟明"), spellings("張偉明"));
        assert_eq!(spellings("陳佳")[..2], ["chenjia", "cj"]);
    }

    #[test]
    fn polyphonic_characters_give_every_reading() {
        let s = spellings("長");
        assert!(
            s.contains(&"chang".to_owned()) && s.contains(&"zhang".to_owned()),
            "{s:?}"
        );
        assert!(s.contains(&"c".to_owned()) && s.contains(&"z".to_owned()));
    }

    #[test]
    fn other_characters_stand_for_themselves_lower_cased() {
        assert_eq!(spellings("Amy 王")[..2], ["amywang", "amyw"]);
        assert_eq!(spellings("售前-紅海")[..2], ["shouqian-honghai", "sq-hh"]);
        assert!(spellings(" ").is_empty());
    }

    #[test]
    fn combinations_are_bounded() {
        // Many polyphonic characters: at most MAX_READINGS combinations, two spellings each.
        let s = spellings("長長長長長長長長");
        assert!(s.len() <= 2 * MAX_READINGS && s.len() > 2, "{}", s.len());
        let once = spellings("王");
        assert_eq!(spellings_of(["王", "王", "Wang"]), once);
    }
}
