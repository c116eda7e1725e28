//! `*` and `?` wildcards, as EC2 filter values and shell globs read them.

/// Whether `text` matches `pattern` as a whole: `*` matches any run of characters (also none),
/// `?` exactly one character (not one byte), everything else itself.
///
/// One rule for EC2's `Filters` values (`*` and `?` wildcards: EC2-BEHAVIOUR.md, Filters) and
/// the guest shell's globs. Backtracking returns to the last `*` only, so the cost is linear in
/// practice and never exponential.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return pattern == text;
    }
    if pattern.is_ascii() && text.is_ascii() {
        matches(pattern.as_bytes(), text.as_bytes(), b'*', b'?')
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        matches(&p, &t, '*', '?')
    }
}

fn matches<T: PartialEq + Copy>(p: &[T], t: &[T], star: T, any: T) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let (mut last_star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == any || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star {
            last_star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = last_star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        assert!(wildcard("al2023-ami-*", "al2023-ami-2023.6-x86_64"));
        assert!(wildcard("*x86_64", "al2023-ami-2023.6-x86_64"));
        assert!(wildcard("web-v?", "web-v2"));
        assert!(!wildcard("web-v?", "web-v10"));
        assert!(wildcard("*", ""));
        assert!(wildcard("**", "abc"));
        assert!(wildcard("a*b*c", "aXbYc"));
        assert!(!wildcard("a*b*c", "aXbY"));
        assert!(!wildcard("abc", "abcd"));
        assert!(!wildcard("?", ""));
        assert!(wildcard("*.html", "index.html"));
        assert!(!wildcard("*.html", "index.htm"));
    }

    #[test]
    fn question_mark_is_one_character_not_one_byte() {
        assert!(wildcard("caf?", "café"));
        assert!(wildcard("*é*", "résumé"));
        assert!(!wildcard("caf??", "café"));
    }

    #[test]
    fn backtracking_stays_linear_on_hostile_patterns() {
        // Exponential matchers take seconds here; this one does a few thousand steps.
        let text = "a".repeat(5_000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!wildcard(&pattern, &text));
    }
}
