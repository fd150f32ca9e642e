//! The tag filter on bitmaps, shared by the customer lists (slots) and findcontactbytagAll
//! (contact ids): any, all or none of the tags, as `TagMode` says.

use std::collections::HashMap;

use roaring::RoaringBitmap;
use scrm_domain::TagId;
use scrm_domain::search::TagMode;

/// Keeps the members of `set` holding `tags` (each tag's bitmap in `by_tag`) as `mode` asks;
/// no tags keep everything.
pub(crate) fn narrow(
    by_tag: &HashMap<i64, RoaringBitmap>,
    set: &mut RoaringBitmap,
    tags: &[TagId],
    mode: TagMode,
) {
    if tags.is_empty() {
        return;
    }
    let of = |t: &TagId| by_tag.get(&t.0);
    match mode {
        TagMode::Any => {
            *set &= tags
                .iter()
                .filter_map(of)
                .fold(RoaringBitmap::new(), |a, b| a | b);
        }
        TagMode::All => {
            for t in tags {
                match of(t) {
                    Some(b) => *set &= b,
                    None => set.clear(),
                }
            }
        }
        TagMode::None => {
            for b in tags.iter().filter_map(of) {
                *set -= b;
            }
        }
    }
}
