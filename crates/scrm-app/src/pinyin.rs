//! Pinyin of contact names (`pYInitial`, `pYQuanPin`, ...), computed with the `pinyin` crate
//! (its tables cover simplified and traditional characters) when an import leaves them out.

use pinyin::ToPinyin;
use scrm_domain::import::ImportDocument;

/// Initials (upper case) and full pinyin (lower case) of a name. Latin letters and digits are
/// kept; other characters are dropped.
pub fn of(name: &str) -> (String, String) {
    let mut initials = String::new();
    let mut full = String::new();
    for (ch, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => {
                initials.push_str(&p.first_letter().to_uppercase());
                full.push_str(p.plain());
            }
            None if ch.is_ascii_alphanumeric() => {
                initials.push(ch.to_ascii_uppercase());
                full.push(ch.to_ascii_lowercase());
            }
            None => {}
        }
    }
    (initials, full)
}

/// Fills in the pinyin fields a document leaves out.
pub fn fill(doc: &mut ImportDocument) {
    for c in &mut doc.wechat_contacts {
        if let Some(name) = c.nick_name.as_deref() {
            let (i, f) = of(name);
            c.py_initial.get_or_insert(i);
            c.py_quan_pin.get_or_insert(f);
        }
        if let Some(name) = c.remark_name.as_deref() {
            let (i, f) = of(name);
            c.remark_py_initial.get_or_insert(i);
            c.remark_py_quan_pin.get_or_insert(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_traditional_and_latin_names() {
        assert_eq!(of("售前-紅海"), ("SQHH".into(), "shouqianhonghai".into()));
        assert_eq!(of("broccoli"), ("BROCCOLI".into(), "broccoli".into()));
        assert_eq!(of("陳佳"), ("CJ".into(), "chenjia".into()));
        assert_eq!(of(""), (String::new(), String::new()));
    }
}
