//! Finds where a list item (a quiz question, a lab check), a key or a value sits in YAML text,
//! so that validation diagnostics can carry `file:line:column` (the parsed types keep no
//! positions). Items are the entries of one top-level list (`questions:` by default), found by
//! their `id:`.

/// A position finder over one YAML text. Positions are 1-based `(line, column)`.
#[derive(Clone)]
pub struct Locator<'a> {
    lines: Vec<&'a str>,
    /// The top-level key of the list whose items are searched (`questions`, `checks`).
    list: &'a str,
    /// Which occurrence of a question id to find (0 = the first), for duplicated ids.
    occurrence: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// The line's content after the indentation and any `- ` list dashes, with its column (0-based).
fn key_part(line: &str) -> (usize, &str) {
    let mut col = indent(line);
    let mut rest = &line[col..];
    while let Some(r) = rest.strip_prefix("- ") {
        let trimmed = r.trim_start_matches(' ');
        col += rest.len() - trimmed.len();
        rest = trimmed;
    }
    (col, rest)
}

fn scalar_is(value: &str, wanted: &str) -> bool {
    let v = value.split(" #").next().unwrap_or("").trim();
    let v = v.trim_matches('"').trim_matches('\'');
    v == wanted
}

impl<'a> Locator<'a> {
    /// A locator over the items of the top-level `questions:` list.
    pub fn new(text: &'a str) -> Self {
        Locator::for_list(text, "questions")
    }

    /// A locator over the items of the top-level list `list` (e.g. `checks`).
    pub fn for_list(text: &'a str, list: &'a str) -> Self {
        Locator {
            lines: text.lines().collect(),
            list,
            occurrence: 0,
        }
    }

    /// The same locator, finding the `n`-th (0-based) item with a given id.
    pub fn occurrence(&self, n: usize) -> Locator<'a> {
        Locator {
            lines: self.lines.clone(),
            list: self.list,
            occurrence: n,
        }
    }

    /// 0-based line index of the first top-level `key:`.
    fn top_key(&self, key: &str) -> Option<usize> {
        let prefix = format!("{key}:");
        self.lines
            .iter()
            .position(|l| indent(l) == 0 && l.starts_with(&prefix))
    }

    /// Position of a top-level key.
    pub fn top(&self, key: &str) -> Option<(usize, usize)> {
        self.top_key(key).map(|i| (i + 1, 1))
    }

    /// The question's line span `[start, end)` and the indentation of its keys.
    fn question_span(&self, qid: &str) -> Option<(usize, usize, usize)> {
        let after = self.top_key(self.list)?;
        let id_line = (after + 1..self.lines.len())
            .filter(|&i| {
                let (_, rest) = key_part(self.lines[i]);
                rest.strip_prefix("id:").is_some_and(|v| scalar_is(v, qid))
            })
            .nth(self.occurrence)?;
        let (key_col, _) = key_part(self.lines[id_line]);
        // The item starts at the dash at indentation key_col - 2 (on this line or above).
        let mut start = id_line;
        let is_dash = |l: &str| {
            let t = l.trim_start();
            t.starts_with("- ") || t.trim_end() == "-"
        };
        while start > after && !is_dash(self.lines[start]) {
            start -= 1;
        }
        let dash = indent(self.lines[start]);
        let end = (start + 1..self.lines.len())
            .find(|&i| is_content(self.lines[i]) && indent(self.lines[i]) <= dash)
            .unwrap_or(self.lines.len());
        Some((start, end, key_col))
    }

    /// Position of the question's `id:` key.
    pub fn question(&self, qid: &str) -> Option<(usize, usize)> {
        let (start, end, key_col) = self.question_span(qid)?;
        (start..end)
            .find(|&i| {
                let (col, rest) = key_part(self.lines[i]);
                col == key_col && rest.starts_with("id:")
            })
            .map(|i| (i + 1, key_col + 1))
    }

    /// 0-based line of a question-level key.
    fn key_line(&self, qid: &str, key: &str) -> Option<(usize, usize)> {
        let (start, end, key_col) = self.question_span(qid)?;
        let prefix = format!("{key}:");
        (start..end)
            .find(|&i| {
                let (col, rest) = key_part(self.lines[i]);
                col == key_col && rest.starts_with(&prefix)
            })
            .map(|i| (i, key_col))
    }

    /// Position of a question-level key, or of the question when the key is absent.
    pub fn key(&self, qid: &str, key: &str) -> Option<(usize, usize)> {
        self.key_line(qid, key)
            .map(|(i, c)| (i + 1, c + 1))
            .or_else(|| self.question(qid))
    }

    /// Position of item `index` of the block list under a question's `list_key` (falls back to
    /// the key itself, e.g. for flow lists `[a, b]`).
    pub fn item(&self, qid: &str, list_key: &str, index: usize) -> Option<(usize, usize)> {
        let Some((key_line, key_col)) = self.key_line(qid, list_key) else {
            return self.question(qid);
        };
        let (_, end, _) = self.question_span(qid)?;
        let mut list_indent = None;
        let mut n = 0;
        for i in key_line + 1..end {
            let line = self.lines[i];
            if !is_content(line) {
                continue;
            }
            let ind = indent(line);
            let is_dash = line[ind..].starts_with("- ") || line[ind..] == *"-";
            match list_indent {
                None if is_dash && ind >= key_col => list_indent = Some(ind),
                None => break,
                Some(l) if ind < l || (ind == l && !is_dash) => break,
                _ => {}
            }
            if Some(ind) == list_indent && is_dash {
                if n == index {
                    let (col, _) = key_part(line);
                    return Some((i + 1, col + 1));
                }
                n += 1;
            }
        }
        Some((key_line + 1, key_col + 1))
    }

    /// Position of `needle` on the lines of a question-level key (its value), e.g. one concept id.
    pub fn value(&self, qid: &str, key: &str, needle: &str) -> Option<(usize, usize)> {
        let (key_line, _) = self.key_line(qid, key)?;
        let (_, end, _) = self.question_span(qid)?;
        for i in key_line..end.min(key_line + 20) {
            if let Some(col) = self.lines[i].find(needle) {
                return Some((i + 1, col + 1));
            }
        }
        self.key(qid, key)
    }
    /// Position of a nested mapping key, e.g. `["world", "regions"]` or
    /// `["params", "regions", "from"]`: each key is searched after the previous one, deeper
    /// than it. Falls back to the deepest key found.
    pub fn path(&self, keys: &[&str]) -> Option<(usize, usize)> {
        let mut found: Option<(usize, usize)> = None;
        let mut from = 0;
        let mut min_col = 0;
        for (depth, key) in keys.iter().enumerate() {
            let prefix = format!("{key}:");
            let hit = (from..self.lines.len()).find_map(|i| {
                let line = self.lines[i];
                if depth > 0 && is_content(line) && i > from && indent(line) < min_col {
                    return Some(None);
                }
                let (col, rest) = key_part(line);
                (col >= min_col && rest.starts_with(&prefix)).then_some(Some((i, col)))
            });
            match hit.flatten() {
                Some((i, col)) => {
                    found = Some((i + 1, col + 1));
                    from = i;
                    min_col = col + 1;
                }
                None => break,
            }
        }
        found
    }

    /// The line span `[start, end)` and key column (0-based) of item `index` of the block list
    /// under the nested key `keys` (e.g. `["world", "resources", "instances"]`); `None` when the
    /// key is absent or the list is written in flow style (`[...]`).
    pub fn list_item(&self, keys: &[&str], index: usize) -> Option<(usize, usize, usize)> {
        let last = keys.last()?;
        let (line, _) = self.path(keys)?;
        let key_line = line - 1;
        let (key_col, rest) = key_part(self.lines[key_line]);
        if !rest.starts_with(&format!("{last}:")) {
            return None;
        }
        let is_dash = |l: &str| {
            let t = l.trim_start();
            t.starts_with("- ") || t.trim_end() == "-"
        };
        let mut list_indent = None;
        let mut starts = Vec::new();
        let mut end = self.lines.len();
        for i in key_line + 1..self.lines.len() {
            let l = self.lines[i];
            if !is_content(l) {
                continue;
            }
            let ind = indent(l);
            match list_indent {
                None if is_dash(l) && ind >= key_col => list_indent = Some(ind),
                None => return None,
                Some(li) if ind < li || (ind == li && !is_dash(l)) => {
                    end = i;
                    break;
                }
                _ => {}
            }
            if Some(ind) == list_indent && is_dash(l) {
                starts.push(i);
            }
        }
        let start = *starts.get(index)?;
        let item_end = starts.get(index + 1).copied().unwrap_or(end);
        let (col, _) = key_part(self.lines[start]);
        Some((start, item_end, col))
    }

    /// Position of `key` in item `index` of the list at `keys` (falls back to the item, then
    /// to the list's key).
    pub fn item_key(&self, keys: &[&str], index: usize, key: &str) -> Option<(usize, usize)> {
        let Some((start, end, col)) = self.list_item(keys, index) else {
            return self.path(keys);
        };
        let prefix = format!("{key}:");
        (start..end)
            .find(|&i| {
                let (c, rest) = key_part(self.lines[i]);
                c == col && rest.starts_with(&prefix)
            })
            .map(|i| (i + 1, col + 1))
            .or(Some((start + 1, col + 1)))
    }

    /// Position of `needle` in the value of `key` of item `index` of the list at `keys` (the
    /// key's line and the lines below it, inside the item); falls back to [`Self::item_key`].
    pub fn item_value(
        &self,
        keys: &[&str],
        index: usize,
        key: &str,
        needle: &str,
    ) -> Option<(usize, usize)> {
        let at = self.item_key(keys, index, key);
        let Some((start, end, _)) = self.list_item(keys, index) else {
            return at;
        };
        let from = at.map(|(l, _)| l - 1).unwrap_or(start).max(start);
        (from..end)
            .find_map(|i| {
                let line = self.lines[i];
                let skip = if i == from {
                    line.find(':').map(|c| c + 1).unwrap_or(0)
                } else {
                    0
                };
                line[skip..].find(needle).map(|c| (i + 1, skip + c + 1))
            })
            .or(at)
    }

    /// The text lines (for callers that map positions inside a block scalar).
    pub fn lines(&self) -> &[&'a str] {
        &self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id: quiz\npick: 2\nquestions:\n  - id: q1\n    kind: single\n    options:\n      - text: a\n        correct: true\n      - text: b\n    concepts: [ami-basics, nope]\n  -\n    id: \"q2\"\n    kind: order\n    steps:\n    - one\n    - two\n";

    #[test]
    fn finds_questions_keys_and_items() {
        let loc = Locator::new(TEXT);
        assert_eq!(loc.top("pick"), Some((2, 1)));
        assert_eq!(loc.question("q1"), Some((4, 5)));
        assert_eq!(loc.question("q2"), Some((12, 5)));
        assert_eq!(loc.key("q1", "kind"), Some((5, 5)));
        assert_eq!(loc.item("q1", "options", 1), Some((9, 9)));
        assert_eq!(loc.item("q2", "steps", 1), Some((16, 7)));
        assert_eq!(loc.value("q1", "concepts", "nope"), Some((10, 28)));
        assert_eq!(loc.key("q2", "options"), Some((12, 5)));
    }

    #[test]
    fn finds_items_of_nested_lists() {
        let text = "world:\n  resources:\n    instances:\n      - name: a\n        region: r1\n      - name: b\n        image: x\n        region: \"{{params.region}}\"\n        security_groups: [web, ssh]\n    volumes: []\nchecks: []\n";
        let loc = Locator::for_list(text, "checks");
        let keys = ["world", "resources", "instances"];
        assert_eq!(loc.list_item(&keys, 0), Some((3, 5, 8)));
        assert_eq!(loc.item_key(&keys, 1, "region"), Some((8, 9)));
        assert_eq!(loc.item_key(&keys, 1, "zone"), Some((6, 9)));
        assert_eq!(
            loc.item_value(&keys, 1, "security_groups", "ssh"),
            Some((9, 32))
        );
        assert_eq!(loc.list_item(&["world", "resources", "volumes"], 0), None);
    }

    #[test]
    fn finds_nested_keys_and_other_lists() {
        let text = "id: lab\nworld:\n  regions: [a]\n  accounts:\n    teammate: \"1\"\nchecks:\n  - id: c1\n    rhai: |\n      true\n";
        let loc = Locator::for_list(text, "checks");
        assert_eq!(loc.path(&["world", "accounts", "teammate"]), Some((5, 5)));
        assert_eq!(loc.path(&["world", "nope"]), Some((2, 1)));
        assert_eq!(loc.key("c1", "rhai"), Some((8, 5)));
    }
}
