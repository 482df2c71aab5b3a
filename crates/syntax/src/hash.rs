//! Hashing, in one place: the fingerprint that tells `serve` what changed (a file's text, a
//! page's inputs), and the hash maps behind id lookups and caches. Both use foldhash, which
//! is several times faster than the standard library's SipHash on the short strings and
//! integers hashed here; none of these maps takes input from the network.

use std::hash::{BuildHasher, Hash, Hasher};

/// A hash map with foldhash's hasher. Make one with `Map::default()`.
pub type Map<K, V> = foldhash::HashMap<K, V>;

/// A fingerprint of `value`: the same value gives the same hash in every run. Used to tell
/// whether inputs changed, so it uses foldhash's higher-quality variant.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    foldhash::quality::FixedState::with_seed(0).hash_one(value)
}

/// A fingerprint of a sequence of values, without collecting them first.
pub fn all<T: Hash>(values: impl IntoIterator<Item = T>) -> u64 {
    let mut hasher = foldhash::quality::FixedState::with_seed(0).build_hasher();
    for value in values {
        value.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_are_stable_and_tell_values_apart() {
        assert_eq!(super::of("abc"), super::of("abc"));
        assert_ne!(super::of("abc"), super::of("abd"));
        // A tuple of strings is not the same as their concatenation.
        assert_ne!(super::of(&("ab", "c")), super::of(&("a", "bc")));
        assert_eq!(super::all([1u64, 2]), super::all(vec![1u64, 2]));
        assert_ne!(super::all([1u64, 2]), super::all([2u64, 1]));
    }
}
