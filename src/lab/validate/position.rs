//! Positions in the lab file: finding text after a key, and mapping a line and column inside
//! a `rhai: |` block scalar (a check's code, the prelude) to the lab file's line and column.

use crate::yaml::Locator;

/// The first line containing `needle` at or after `from` (1-based position).
pub(crate) fn find(
    loc: &Locator,
    needle: &str,
    from: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let start = from.map(|(l, _)| l.saturating_sub(1)).unwrap_or(0);
    loc.lines()
        .iter()
        .enumerate()
        .skip(start)
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, c + 1)))
        .or(from)
}

/// Where line `line` / column `column` (1-based, inside the value) of the scalar whose key sits
/// at `key` lands in the file. A literal block scalar (`|`, `|-`, `|+`) maps exactly; any other
/// value (one line, quoted, folded) points at the key.
pub(crate) fn in_block(
    loc: &Locator,
    key: Option<(usize, usize)>,
    line: Option<usize>,
    column: Option<usize>,
) -> Option<(usize, usize)> {
    let key = key?;
    let lines = loc.lines();
    let key_line = lines.get(key.0 - 1)?;
    let value = key_line
        .get(key.1 - 1..)
        .and_then(|rest| rest.split_once(':'))
        .map(|x| x.1.trim())
        .unwrap_or("");
    if !value.starts_with('|') {
        return Some(key);
    }
    // The block's indentation is that of its first non-blank line.
    let indent = lines
        .iter()
        .skip(key.0)
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let target = key.0 + line.unwrap_or(1);
    lines.get(target - 1)?;
    Some((target, indent + column.unwrap_or(1)))
}

/// [`in_block`] for a check's `rhai:`.
pub(crate) fn check_code(
    loc: &Locator,
    check_id: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> Option<(usize, usize)> {
    in_block(loc, loc.key(check_id, "rhai"), line, column)
}

/// [`in_block`] for the top-level `prelude:`.
pub(crate) fn prelude(
    loc: &Locator,
    line: Option<usize>,
    column: Option<usize>,
) -> Option<(usize, usize)> {
    in_block(loc, loc.top("prelude"), line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_block_scalars_and_points_at_other_values() {
        let text = "prelude: |\n  fn f() {\n      1\n  }\nchecks:\n  - id: a\n    rhai: \"x\"\n";
        let loc = Locator::for_list(text, "checks");
        assert_eq!(prelude(&loc, Some(2), Some(5)), Some((3, 7)));
        assert_eq!(check_code(&loc, "a", Some(1), Some(2)), Some((7, 5)));
        assert_eq!(find(&loc, "rhai", loc.top("checks")), Some((7, 5)));
    }
}
