//! Hash maps and sets for the site's own strings (paths, URLs, tag names,
//! template texts), hashed with foldhash rather than std's SipHash. Their
//! keys come from the user's own site, so SipHash's resistance to crafted
//! collisions buys nothing here, while it cost several times as much per
//! key; several of these maps are filled on the one thread between the
//! parallel passes, where every step counts in full.

/// A `HashMap` with foldhash's fast, randomly seeded hasher.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with foldhash's fast, randomly seeded hasher.
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// An empty [`FastMap`] with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, Default::default())
}

/// An empty [`FastSet`] with room for `n` entries.
pub fn set_with_capacity<K>(n: usize) -> FastSet<K> {
    FastSet::with_capacity_and_hasher(n, Default::default())
}
