//! Realistic text for the seed at scale: Chinese names drawn from common surnames by their
//! frequency (a few rare compound surnames included), given names, WeChat nicknames, phone
//! numbers in the formats people type, and a Zipf sampler for popular tags.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Surnames with their approximate share (per mille) of the population. `諸葛`, `司馬` and
/// `上官` are rare on purpose: a "contains" search for them matches a handful of rows.
pub const SURNAMES: &[(&str, u32)] = &[
    ("王", 71),
    ("李", 70),
    ("張", 67),
    ("劉", 54),
    ("陳", 45),
    ("楊", 31),
    ("黃", 22),
    ("趙", 20),
    ("吳", 20),
    ("周", 19),
    ("徐", 15),
    ("孫", 14),
    ("馬", 12),
    ("朱", 12),
    ("胡", 11),
    ("郭", 11),
    ("何", 10),
    ("高", 10),
    ("林", 10),
    ("羅", 9),
    ("鄭", 9),
    ("梁", 8),
    ("謝", 7),
    ("宋", 6),
    ("唐", 6),
    ("許", 6),
    ("韓", 5),
    ("馮", 5),
    ("鄧", 5),
    ("曹", 5),
    ("彭", 5),
    ("曾", 4),
    ("蕭", 4),
    ("田", 4),
    ("董", 4),
    ("袁", 4),
    ("潘", 3),
    ("于", 3),
    ("蔣", 3),
    ("蔡", 3),
    ("余", 3),
    ("杜", 3),
    ("葉", 3),
    ("程", 3),
    ("蘇", 3),
    ("魏", 3),
    ("呂", 3),
    ("丁", 3),
    ("任", 2),
    ("沈", 2),
    ("歐陽", 1),
];

/// Rare compound surnames: one name in this many gets one of them.
pub const RARE_ONE_IN: u32 = 5_000;
/// The rare compound surnames.
pub const RARE_SURNAMES: &[&str] = &["諸葛", "司馬", "上官"];

/// Whole given names that many people share (a "two-character name" search finds them).
const COMMON_GIVEN: &[&str] = &[
    "偉", "芳", "娜", "敏", "靜", "麗", "強", "磊", "洋", "艷", "勇", "軍", "傑", "娟", "濤", "明",
    "超", "秀英", "霞", "平", "建華", "志強", "海燕", "佳", "建國", "秀蘭", "桂英", "玉蘭", "淑珍",
    "麗娟",
];

/// Characters of the other given names, combined freely.
const GIVEN_CHARS: &[&str] = &[
    "子", "文", "嘉", "欣", "怡", "思", "雨", "浩", "宇", "軒", "晨", "涵", "梓", "博", "俊", "婷",
    "雪", "琳", "瑞", "澤", "一", "天", "昊", "然", "陽", "鑫", "辰", "佳", "萱", "冰", "潔", "慧",
    "穎", "凱", "鵬", "飛", "鴻", "志", "國", "榮", "華", "春", "紅", "玲", "燕", "蘭", "鳳", "金",
    "永", "德", "福", "祥", "瑤", "晶", "宏", "家", "安", "康", "寧", "寶",
];

/// WeChat nicknames people choose instead of their names.
const NICKNAMES: &[&str] = &[
    "陽光",
    "小太陽",
    "Amy",
    "Jack",
    "追夢人",
    "平安是福",
    "一路向北",
    "海闊天空",
    "Lucky",
    "淡定",
    "花開富貴",
    "小魚兒",
    "Kevin",
    "靜待花開",
    "知足常樂",
    "Coco",
];

/// A cumulative weight table sampled by binary search.
#[derive(Debug, Clone)]
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// From positive weights.
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Self { cumulative }
    }

    /// Zipf: rank `k` (from 0) has weight `1 / (k + 1)^s`.
    pub fn zipf(n: usize, s: f64) -> Self {
        Self::new((1..=n).map(|k| 1.0 / f64::from(u32::try_from(k).unwrap_or(u32::MAX)).powf(s)))
    }

    /// An index drawn by weight.
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }

    /// The share of index `i` in (0, 1].
    pub fn share(&self, i: usize) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let below = if i == 0 { 0.0 } else { self.cumulative[i - 1] };
        (self.cumulative[i] - below) / total
    }
}

/// Draws names, nicknames and phones.
#[derive(Debug, Clone)]
pub struct Names {
    surnames: Weighted,
}

impl Default for Names {
    fn default() -> Self {
        Self {
            surnames: Weighted::new(SURNAMES.iter().map(|(_, w)| f64::from(*w))),
        }
    }
}

impl Names {
    /// A full Chinese name: a surname by frequency, then a common given name (40 %) or one or
    /// two free characters.
    pub fn full(&self, rng: &mut ChaCha8Rng) -> String {
        let surname = if rng.random_ratio(1, RARE_ONE_IN) {
            RARE_SURNAMES[rng.random_range(0..RARE_SURNAMES.len())]
        } else {
            SURNAMES[self.surnames.sample(rng)].0
        };
        let mut name = String::from(surname);
        if rng.random_bool(0.4) {
            name.push_str(COMMON_GIVEN[rng.random_range(0..COMMON_GIVEN.len())]);
        } else {
            for _ in 0..rng.random_range(1..=2) {
                name.push_str(GIVEN_CHARS[rng.random_range(0..GIVEN_CHARS.len())]);
            }
        }
        name
    }

    /// A WeChat nickname: the name itself (70 %), or a chosen one.
    pub fn nickname(&self, rng: &mut ChaCha8Rng, name: &str) -> String {
        if rng.random_bool(0.7) {
            name.to_owned()
        } else {
            NICKNAMES[rng.random_range(0..NICKNAMES.len())].to_owned()
        }
    }
}

/// A mainland mobile number as people type it: mostly plain, some with `+86` and dashes or
/// spaces (its digits are the same 11).
pub fn phone(rng: &mut ChaCha8Rng) -> String {
    let second = [3, 5, 7, 8, 9][rng.random_range(0..5)];
    let rest = rng.random_range(0..1_000_000_000u64);
    let plain = format!("1{second}{rest:09}");
    match rng.random_range(0..10) {
        0 => format!("+86 {}-{}-{}", &plain[..3], &plain[3..7], &plain[7..]),
        1 => format!("{} {} {}", &plain[..3], &plain[3..7], &plain[7..]),
        _ => plain,
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn zipf_ranks_are_popular_in_order() {
        let z = Weighted::zipf(200, 1.0);
        assert!(z.share(0) > z.share(1) && z.share(1) > z.share(199));
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut hits = [0u32; 200];
        for _ in 0..20_000 {
            hits[z.sample(&mut rng)] += 1;
        }
        assert!(hits[0] > 2_500 && hits[0] < 4_000, "{}", hits[0]);
        assert!(hits[199] < 100);
    }

    #[test]
    fn names_are_chinese_and_phones_have_eleven_digits() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let names = Names::default();
        let mut wang = 0;
        for _ in 0..10_000 {
            let n = names.full(&mut rng);
            assert!((2..=4).contains(&n.chars().count()), "{n}");
            if n.starts_with('王') {
                wang += 1;
            }
            let p = phone(&mut rng);
            assert_eq!(scrm_domain::phone::digits(&p).len(), 11, "{p}");
        }
        assert!((850..1_300).contains(&wang), "{wang}");
    }
}
