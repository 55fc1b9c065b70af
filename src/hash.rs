//! The one hash the output depends on. It sits at the bottom of the crate and imports
//! nothing: the model (update anchors), the templates (their fingerprint), the caches,
//! asset URLs and the search script's URL all use it.

/// The 64-bit FNV-1a hash: stable across Rust versions and platforms, unlike `DefaultHasher`,
/// so a hash that reaches the output (an anchor, a `?v=` query) never changes by itself.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_values() {
        assert_eq!(fnv1a([]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(*b"foobar"), 0x8594_4171_f739_67e8);
    }
}
