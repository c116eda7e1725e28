//! Did-you-mean: the known word closest to what was typed, if it is close enough to help.

/// The candidate closest to `typed`, if one is close enough to be what was meant.
///
/// Distance is the Damerau–Levenshtein edit distance (insertions, deletions, substitutions and
/// transpositions of adjacent characters) on lower-cased text. A candidate is close enough when
/// the distance is at most a third of the longer word (at least 1, at most 3) and leaves a
/// character in place, or when one word
/// begins with the other and the shorter has at least 3 characters (`share` → `share-with-teammate`).
/// Among equals, the nearest wins, then the first in alphabetical order, so the answer never
/// depends on the order candidates come in. An exact match (ignoring case) is returned as is.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| distance(&typed, c).map(|d| (d, c)))
        .min()
        .map(|(_, c)| c)
}

/// The distance from `typed` (lower case) to `candidate`, or `None` if it is too far.
fn distance(typed: &str, candidate: &str) -> Option<usize> {
    let lower = candidate.to_lowercase();
    let d = strsim::damerau_levenshtein(typed, &lower);
    let longer = typed.chars().count().max(lower.chars().count());
    let shorter = typed.chars().count().min(lower.chars().count());
    let prefix = shorter >= 3 && (lower.starts_with(typed) || typed.starts_with(lower.as_str()));
    // A suggestion must keep something of what was typed: `d` is not a typo of `c`.
    if d <= (longer / 3).clamp(1, 3) && d < longer {
        Some(d)
    } else if prefix {
        // Further than any typo, nearer than nothing.
        Some(4)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_every_kind() {
        let keys = ["id", "kind", "prompt", "points", "hints"];
        assert_eq!(closest("promt", keys), Some("prompt")); // deletion
        assert_eq!(closest("prommpt", keys), Some("prompt")); // insertion
        assert_eq!(closest("hnits", keys), Some("hints")); // transposition
        assert_eq!(closest("Prompt", keys), Some("prompt")); // case
        assert_eq!(closest("kimd", keys), Some("kind")); // substitution
    }

    #[test]
    fn nothing_when_nothing_is_close() {
        assert_eq!(closest("xyz", ["id", "prompt"]), None);
        assert_eq!(closest("zzzzzzzzzzzzz", ["image_ids", "owners"]), None);
        assert_eq!(closest("anything", std::iter::empty()), None);
        // Short words need a near miss: `ab` is not `id`.
        assert_eq!(closest("ab", ["id"]), None);
        assert_eq!(closest("d", ["c"]), None);
        assert_eq!(closest("C", ["c"]), Some("c"));
    }

    #[test]
    fn prefixes_help_but_typos_win() {
        let labs = ["first-golden-image", "share-with-teammate"];
        assert_eq!(closest("share", labs), Some("share-with-teammate"));
        assert_eq!(
            closest("first-golden-imag", labs),
            Some("first-golden-image")
        );
        assert_eq!(closest("sh", labs), None);
        assert_eq!(
            closest("owner", ["owners", "owner_ids_list"]),
            Some("owners")
        );
    }

    #[test]
    fn ties_break_alphabetically_whatever_the_order() {
        assert_eq!(closest("cat", ["hat", "bat"]), Some("bat"));
        assert_eq!(closest("cat", ["bat", "hat"]), Some("bat"));
    }
}
