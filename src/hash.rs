//! Hashing, in one place: the fingerprint that tells `serve` what changed (a file's text, a
//! page's inputs), and the hash maps behind id lookups and caches. Both use foldhash, which
//! is several times faster than the standard library's SipHash on the short strings and
//! integers hashed here; none of these maps takes input from the network.

use std::hash::{BuildHasher, Hash};

/// A hash map with foldhash's hasher. Make one with `Map::default()`.
pub type Map<K, V> = foldhash::HashMap<K, V>;

/// A fingerprint of `value`: the same value gives the same hash in every run. Used to tell
/// whether inputs changed, so it uses foldhash's higher-quality variant.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    foldhash::quality::FixedState::with_seed(0).hash_one(value)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_stable_and_tell_values_apart() {
        assert_eq!(super::of("abc"), super::of("abc"));
        assert_ne!(super::of("abc"), super::of("abd"));
        // A tuple of strings is not the same as their concatenation.
        assert_ne!(super::of(&("ab", "c")), super::of(&("a", "bc")));
    }
}
