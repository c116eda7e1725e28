//! The `param-shape` rule: each param draws its value in exactly one well-formed way.

use super::{Ctx, Finding};

/// `param-shape`
pub(super) fn shape(cx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, p) in &cx.spec.params {
        let at = cx.loc.path(&["params", name]);
        let forms = [
            p.choose.is_some() || p.from.is_some(),
            p.one_of.is_some(),
            p.range.is_some(),
            p.value.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            out.push(
                Finding::new(format!("param `{name}` must use exactly one of choose + from, one_of, range, value"), at)
                    .help("e.g. `{choose: 2, from: [eu-west-1, ap-south-1, eu-central-1]}` or `{range: [6, 12]}`"),
            );
            continue;
        }
        match (p.choose, &p.from) {
            (Some(_), None) | (None, Some(_)) => out.push(
                Finding::new(format!("param `{name}` needs both `choose` and `from`"), at)
                    .help("`choose: N` picks N distinct values of the list `from`"),
            ),
            (Some(n), Some(from)) if n == 0 || n > from.len() => out.push(
                Finding::new(
                    format!(
                        "param `{name}` chooses {n} of {}",
                        amilab_text::plural(from.len(), "value", "values")
                    ),
                    at,
                )
                .help("choose at least 1 and at most as many values as `from` lists"),
            ),
            _ => {}
        }
        if p.one_of.as_ref().is_some_and(Vec::is_empty) {
            out.push(
                Finding::new(format!("param `{name}` has an empty one_of"), at)
                    .help("list at least one value"),
            );
        }
        if let Some([lo, hi]) = p.range {
            if lo > hi {
                out.push(
                    Finding::new(
                        format!("param `{name}` has range [{lo}, {hi}] with low above high"),
                        at,
                    )
                    .help("write the range as [low, high]"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, yaml, CHECK};
    use super::*;

    #[test]
    fn each_malformed_param() {
        let y = yaml(
            "params:\n  a: {one_of: [x], range: [1, 2]}\n  b: {choose: 3, from: [x]}\n  c: {choose: 1}\n  d: {one_of: []}\n  e: {range: [3, 1]}\n  ok: {value: 1}\n",
            CHECK,
        );
        let f = findings(&y, shape);
        let msgs: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(f.len(), 5, "{msgs:?}");
        assert!(msgs[0].contains("`a` must use exactly one"));
        assert!(msgs[1].contains("chooses 3 of 1"));
        assert!(msgs[2].contains("needs both"));
        assert!(msgs[3].contains("empty one_of"));
        assert!(msgs[4].contains("low above high"));
        assert_eq!(f[0].at, Some((8, 3)));
    }
}
