//! Reading a typed number for a `numeric` question, the same way in `quiz take` and in answers
//! files: a currency sign or the question's unit around the number, thousands separators, and a
//! clear refusal of what would have to be guessed (a decimal comma).

/// The sign a currency code is commonly written with.
const CURRENCY_SIGNS: [(&str, char); 4] = [("USD", '$'), ("EUR", '€'), ("GBP", '£'), ("JPY", '¥')];

/// A number as a learner types it: `7.5`, `$7.50`, `7.5 USD`, `USD 7.5`, `1,000`, `12 digits`.
///
/// `unit` is the question's unit: a mark written before or after the number must be that unit
/// (any case, singular or plural) or its currency sign (`$` for `USD`); a question without a
/// unit takes a plain number. A comma is read only as a thousands separator between groups of
/// three digits (`1,000`, `12,345.5`): the quizzes are written in English, where that is what it
/// means. Any other comma (`7,50`, `1.000,5`) is refused rather than guessed, because `7,50`
/// would be 7.5 to some readers and 750 to others, and a wrong guess would be marked wrong.
///
/// The error is the sentence shown to the learner (no trailing period).
pub fn parse_number(input: &str, unit: Option<&str>) -> Result<f64, String> {
    let typed = input.trim();
    let text = typed.replace('−', "-");
    let mut s = text.as_str();
    let mut negative = false;
    // A sign before a currency sign (`-$5`): take it off first.
    if let Some(rest) = s.strip_prefix(['-', '+']) {
        if rest.starts_with(|c: char| !c.is_ascii_digit() && c != '.') {
            negative = s.starts_with('-');
            s = rest;
        }
    }
    let is_mark = |c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'));
    let body_start = s.find(|c: char| !is_mark(c)).unwrap_or(s.len());
    let (prefix, rest) = s.split_at(body_start);
    let body_end = rest
        .rfind(|c: char| c.is_ascii_digit() || matches!(c, '.' | ','))
        .map_or(0, |i| i + 1);
    let (body, suffix) = rest.split_at(body_end);
    let not_a_number = || match typed {
        "" => "expected a number such as `8` or `0.5`, got nothing".to_string(),
        _ => format!("expected a number such as `8` or `0.5`, got `{typed}`"),
    };
    if !body.contains(|c: char| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    for mark in [prefix.trim(), suffix.trim()] {
        if !mark.is_empty() {
            check_unit(mark, unit)?;
        }
    }
    let body = plain_digits(body.trim(), typed)?;
    let starts_well = body
        .trim_start_matches(['-', '+'])
        .starts_with(|c: char| c.is_ascii_digit() || c == '.');
    match body.parse::<f64>() {
        Ok(x) if x.is_finite() && starts_well && !(negative && body.starts_with(['-', '+'])) => {
            Ok(if negative { -x } else { x })
        }
        _ => Err(not_a_number()),
    }
}

/// The digits with thousands separators removed, or the refusal of a decimal comma.
fn plain_digits(body: &str, typed: &str) -> Result<String, String> {
    if !body.contains(',') {
        return Ok(body.to_string());
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = int.trim_start_matches(['-', '+']);
    let mut groups = digits.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if first_ok && rest_ok && !frac.contains(',') {
        return Ok(body.replace(',', ""));
    }
    Err(format!(
        "`{typed}`: write decimals with a point, such as `7.50`; a comma only separates thousands, as in `1,000`"
    ))
}

/// Accepts a unit mark written beside the number when it names the question's unit.
fn check_unit(mark: &str, unit: Option<&str>) -> Result<(), String> {
    let Some(unit) = unit.map(str::trim).filter(|u| !u.is_empty()) else {
        return Err(format!(
            "this question takes a plain number; leave out `{mark}`"
        ));
    };
    let same = |a: &str, b: &str| {
        let (a, b) = (a.to_lowercase(), b.to_lowercase());
        a == b || a.strip_suffix('s') == Some(&b) || b.strip_suffix('s') == Some(&a)
    };
    let sign = CURRENCY_SIGNS
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(unit))
        .map(|(_, sign)| sign.to_string());
    let percent = matches!(unit, "%" | "percent") && matches!(mark, "%" | "percent");
    if same(mark, unit) || sign.as_deref() == Some(mark) || percent {
        Ok(())
    } else {
        Err(format!(
            "`{mark}` is not this question's unit; answer in {unit}, such as `8` or `8 {unit}`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let usd = Some("USD");
        for (typed, unit, want) in [
            ("8", None, 8.0),
            ("0.5", None, 0.5),
            (".5", None, 0.5),
            ("  12 ", None, 12.0),
            ("-3", None, -3.0),
            ("−3", None, -3.0),
            ("1e3", None, 1000.0),
            ("1,000", None, 1000.0),
            ("12,345.5", None, 12345.5),
            ("1,234,567", None, 1_234_567.0),
            ("$7.50", usd, 7.5),
            ("7.5 USD", usd, 7.5),
            ("7.5USD", usd, 7.5),
            ("USD 7.5", usd, 7.5),
            ("usd 7.5", usd, 7.5),
            ("7.50 $", usd, 7.5),
            ("-$5", usd, -5.0),
            ("$1,400", usd, 1400.0),
            ("€3", Some("EUR"), 3.0),
            ("12 digits", Some("digits"), 12.0),
            ("1 digit", Some("digits"), 1.0),
            ("30 GiB", Some("GiB"), 30.0),
            ("10%", Some("%"), 10.0),
            ("10 percent", Some("%"), 10.0),
        ] {
            assert_eq!(parse_number(typed, unit), Ok(want), "{typed:?} in {unit:?}");
        }
    }

    #[test]
    fn refused_forms_say_why() {
        let usd = Some("USD");
        for (typed, unit, says) in [
            (
                "",
                None,
                "expected a number such as `8` or `0.5`, got nothing",
            ),
            ("eight", None, "expected a number"),
            ("inf", None, "expected a number"),
            ("NaN", None, "expected a number"),
            ("1 000", None, "expected a number"),
            ("--5", None, "expected a number"),
            ("-$-5", usd, "expected a number"),
            (
                "7,50",
                None,
                "`7,50`: write decimals with a point, such as `7.50`",
            ),
            ("7,50 €", Some("EUR"), "a comma only separates thousands"),
            ("1.000,5", None, "a comma only separates thousands"),
            ("1,00,000", None, "a comma only separates thousands"),
            ("1000,", None, "a comma only separates thousands"),
            (
                "$7.50",
                None,
                "this question takes a plain number; leave out `$`",
            ),
            (
                "€7.50",
                usd,
                "`€` is not this question's unit; answer in USD",
            ),
            ("7.5 EUR", usd, "`EUR` is not this question's unit"),
            (
                "5 minutes",
                Some("seconds"),
                "`minutes` is not this question's unit",
            ),
        ] {
            let err = parse_number(typed, unit).expect_err(typed);
            assert!(err.contains(says), "{typed:?}: {err}");
        }
    }
}
