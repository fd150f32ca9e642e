//! Redis Cluster: the keys of one conversation hash to one slot (CRC16/XMODEM of the hash tag,
//! modulo 16384), so the per-conversation transaction and Lua script work on a cluster.

use scrm_domain::{ContactId, WechatUserId};
use scrm_redis::keys::Keys;

/// CRC16/XMODEM: polynomial 0x1021, initial value 0, no reflection, no final xor.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for byte in data {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 == 0 {
                crc << 1
            } else {
                (crc << 1) ^ 0x1021
            };
        }
    }
    crc
}

/// The cluster slot of a key: the hash tag (between the first `{` and the next `}`) when it
/// is not empty, else the whole key.
fn slot(key: &str) -> u16 {
    let hashed = key
        .find('{')
        .and_then(|open| {
            let rest = &key[open + 1..];
            rest.find('}').map(|close| &rest[..close])
        })
        .filter(|tag| !tag.is_empty())
        .unwrap_or(key);
    crc16(hashed.as_bytes()) % 16384
}

#[test]
fn crc16_is_xmodem() {
    assert_eq!(crc16(b"123456789"), 0x31C3);
    assert_eq!(crc16(b""), 0);
    // Known slots from the Redis Cluster specification and `CLUSTER KEYSLOT`.
    assert_eq!(slot("foo"), 12182);
    assert_eq!(slot("{user1000}.following"), slot("{user1000}.followers"));
    assert_eq!(slot("foo{}{bar}"), crc16(b"foo{}{bar}") % 16384);
    assert_eq!(slot("foo{{bar}}zap"), crc16(b"{bar") % 16384);
}

#[test]
fn the_keys_of_a_conversation_share_one_slot() {
    let mut slots = std::collections::BTreeSet::new();
    for prefix in ["scrm", "tenant-a:scrm", "x"] {
        let keys = Keys::new(prefix);
        for (user, contact) in [(1, 2), (7, 70), (12_206, 9_876_543), (i64::MAX, 0)] {
            let (u, c) = (WechatUserId(user), ContactId(contact));
            let index = keys.chat_index(u, c);
            let hash = keys.chat_messages(u, c);
            assert_eq!(slot(&index), slot(&hash), "{index} and {hash}");
            assert_eq!(
                slot(&index),
                crc16(format!("{user}:{contact}").as_bytes()) % 16384,
                "the tag is the conversation, whatever the prefix"
            );
            slots.insert(slot(&index));
        }
    }
    assert!(slots.len() > 1, "different conversations spread over slots");
}
