//! Translation and matching, against what GNU grep 3.8 and sed 4.9 do with the same patterns.

use super::*;

fn pattern(source: &str, syntax: Syntax, dialect: Dialect) -> Result<Pattern, PatternError> {
    Pattern::new(source, Options::new(syntax, dialect))
}

fn bre(source: &str) -> Pattern {
    pattern(source, Syntax::Basic, Dialect::Grep).expect(source)
}

fn ere(source: &str) -> Pattern {
    pattern(source, Syntax::Extended, Dialect::Grep).expect(source)
}

fn bre_error(source: &str, dialect: Dialect) -> String {
    match pattern(source, Syntax::Basic, dialect) {
        Ok(p) => panic!("{source} compiled to {}", p.regex.as_str()),
        Err(error) => error.to_string(),
    }
}

fn ere_error(source: &str, dialect: Dialect) -> String {
    match pattern(source, Syntax::Extended, dialect) {
        Ok(p) => panic!("{source} compiled to {}", p.regex.as_str()),
        Err(error) => error.to_string(),
    }
}

/// The first match, leftmost-longest, as text.
fn first<'t>(pattern: &Pattern, text: &'t str) -> Option<&'t str> {
    pattern
        .matches(text)
        .next()
        .map(|found| found.group(text, 0))
}

fn all<'t>(pattern: &Pattern, text: &'t str) -> Vec<&'t str> {
    pattern
        .matches(text)
        .map(|found| found.group(text, 0))
        .collect()
}

#[test]
fn alternation_is_an_operator_in_ere_and_backslashed_in_bre() {
    assert!(ere("nginx|httpd").is_match("nginx"));
    assert!(ere("nginx|httpd").is_match("httpd"));
    assert!(bre("nginx\\|httpd").is_match("nginx"));
    assert!(bre("nginx\\|httpd").is_match("httpd"));
    // A bare `|` in a BRE and `\|` in an ERE are literals.
    assert!(bre("a|b").is_match("a|b") && !bre("a|b").is_match("a"));
    assert!(ere("a\\|b").is_match("a|b") && !ere("a\\|b").is_match("a"));
}

#[test]
fn groups_and_their_repetition() {
    assert!(bre("\\(ab\\)*c").is_match("ababc"));
    assert_eq!(first(&bre("\\(ab\\)*c"), "xababc"), Some("ababc"));
    assert_eq!(first(&ere("(ab)+"), "xababy"), Some("abab"));
    // BRE parentheses are literal, ERE backslashed ones too.
    assert!(bre("f(x)").is_match("f(x)") && !bre("f(x)").is_match("fx"));
    assert!(ere("f\\(x\\)").is_match("f(x)") && !ere("f\\(x\\)").is_match("fx"));
    assert_eq!(bre("\\(a\\)\\(b\\(c\\)\\)").groups(), 3);
    assert_eq!(ere("()").groups(), 1);
    assert!(ere("(|a)b").is_match("b"));
}

#[test]
fn plus_and_question_mark() {
    assert!(bre("ab\\+c").is_match("abbc") && !bre("ab\\+c").is_match("ac"));
    assert!(bre("ab\\?c").is_match("ac") && bre("ab\\?c").is_match("abc"));
    // Bare in a BRE, backslashed in an ERE: literals.
    assert!(bre("a+b").is_match("a+b") && !bre("a+b").is_match("aab"));
    assert!(bre("a?").is_match("a?") && !bre("a?").is_match("a"));
    assert!(ere("a\\+").is_match("a+") && !ere("a\\+").is_match("aa"));
    assert!(ere("ab+c").is_match("abbc") && ere("ab?c").is_match("ac"));
    assert!(!ere("ab+c").is_match("ac"));
}

#[test]
fn intervals() {
    for p in [ere("^[0-9]{3}$"), bre("^[0-9]\\{3\\}$")] {
        assert!(p.is_match("443"));
        assert!(!p.is_match("80") && !p.is_match("8080"));
    }
    assert!(ere("^a{2,}$").is_match("aaaa") && !ere("^a{2,}$").is_match("a"));
    assert!(ere("^a{,2}$").is_match("aa") && !ere("^a{,2}$").is_match("aaa"));
    assert!(bre("^a\\{1,2\\}$").is_match("aa") && !bre("^a\\{1,2\\}$").is_match("aaa"));
    // Repeated repetitions: `a{2}{2}` is four.
    assert!(ere("^a{2}{2}$").is_match("aaaa") && !ere("^a{2}{2}$").is_match("aa"));
    // In a BRE a bare brace is a literal; so is a leading `\{` in grep.
    assert!(bre("a{2}").is_match("a{2}") && !bre("a{2}").is_match("aa"));
    assert!(bre("\\{2\\}a").is_match("{2}a"));
    // GNU grep reads an ERE `{` that opens no interval as a literal.
    assert!(ere("a{").is_match("a{") && ere("a{x}").is_match("a{x}"));
    assert!(ere("a{2").is_match("a{2"));
    assert!(ere("\\{").is_match("{"));
}

#[test]
fn repetition_of_a_repetition_is_not_lazy_in_posix() {
    // `a+?` is `(a+)?`, greedy; the crate would read a lazy `+`.
    assert_eq!(first(&ere("a+?"), "aaa"), Some("aaa"));
    assert_eq!(first(&ere("a**"), "aaa"), Some("aaa"));
    assert_eq!(first(&bre("a**"), "aaa"), Some("aaa"));
    // glibc's basic syntax, sed's, refuses a `*` or an interval after a repetition, and takes
    // `\+` and `\?` there.
    for source in ["a**", "a\\+*", "a*\\{2\\}", "a\\{2\\}*", "a*\\{"] {
        assert_eq!(
            bre_error(source, Dialect::Sed),
            "Invalid preceding regular expression",
            "{source}"
        );
    }
    let sed = |source| pattern(source, Syntax::Basic, Dialect::Sed).unwrap();
    assert_eq!(first(&sed("ba\\+\\+"), "baa"), Some("baa"));
    assert_eq!(first(&sed("a*\\?"), "aa"), Some("aa"));
    // In an ERE, sed refuses a leading brace before reading it.
    assert_eq!(
        ere_error("{", Dialect::Sed),
        "Invalid preceding regular expression"
    );
}

#[test]
fn stars_and_anchors_at_the_start_of_a_bre_are_literal_where_posix_says() {
    assert!(bre("*a").is_match("x*a") && !bre("*a").is_match("a"));
    assert!(bre("^*a").is_match("*a") && !bre("^*a").is_match("a"));
    assert!(bre("\\(*a\\)").is_match("*a") && !bre("\\(*a\\)").is_match("a"));
    assert!(bre("x\\|*b").is_match("*b") && !bre("x\\|*b").is_match("b"));
    assert!(bre("\\+a").is_match("+a"));
    // `^` anchors only at the start, `$` only at the end (of the pattern, a group or an
    // alternative).
    assert!(bre("a^b").is_match("a^b"));
    assert!(bre("a$b").is_match("a$b"));
    assert!(bre("\\(^a\\)").is_match("ab") && !bre("\\(^a\\)").is_match("ba"));
    assert!(bre("\\(a$\\)").is_match("ba") && !bre("\\(a$\\)").is_match("ab"));
    assert!(bre("x\\|^a").is_match("ab") && !bre("x\\|^a").is_match("ba"));
    assert!(bre("^^").is_match("^x") && !bre("^^").is_match("x"));
    assert!(bre("$$").is_match("x$") && !bre("$$").is_match("x"));
    // In an ERE they anchor anywhere.
    assert!(!ere("a^b").is_match("a^b") && !ere("a$b").is_match("a$b"));
    assert!(ere("x|^a").is_match("ab") && !ere("x|^a").is_match("ba"));
}

#[test]
fn grep_ignores_a_leading_ere_repetition_with_a_warning_and_sed_refuses_it() {
    let p = ere("*a");
    assert!(p.is_match("a"));
    assert_eq!(p.warnings(), ["* at start of expression"]);
    assert!(ere("a|+b").is_match("b"));
    assert_eq!(ere("{2}a").warnings(), ["{...} at start of expression"]);
    for source in ["*a", "a|*b", "(*a)", "^*", "{2}a"] {
        assert_eq!(
            ere_error(source, Dialect::Sed),
            "Invalid preceding regular expression",
            "{source}"
        );
    }
    assert_eq!(
        bre_error("\\{2\\}a", Dialect::Sed),
        "Invalid preceding regular expression"
    );
    assert!(bre("x*a").warnings().is_empty());
}

#[test]
fn escaped_characters_are_literal() {
    assert!(ere("a\\.b").is_match("a.b") && !ere("a\\.b").is_match("axb"));
    assert!(bre("a\\.b").is_match("a.b") && !bre("a\\.b").is_match("axb"));
    assert!(bre("a.b").is_match("axb"));
    assert!(bre("\\*\\[\\]\\^\\$\\\\").is_match("*[]^$\\"));
    assert!(ere("\\*\\[\\]\\^\\$\\\\\\(\\)\\{\\}\\?\\+\\|").is_match("*[]^$\\(){}?+|"));
    // Characters the crate gives a meaning and POSIX does not.
    for literal in ["#", "&", "~", "-", "a#b", "&&", "~~", " x"] {
        assert!(bre(literal).is_match(literal), "{literal}");
        assert!(ere(literal).is_match(literal), "{literal}");
    }
    // grep has no `\t` or `\d`: GNU grep reads the letter.
    assert!(bre("\\t").is_match("t") && !bre("\\t").is_match("\t"));
    assert!(bre("\\d").is_match("d") && !bre("\\d").is_match("1"));
    // sed has `\t`, `\n` and friends.
    let sed = pattern("a\\tb\\x41", Syntax::Basic, Dialect::Sed).unwrap();
    assert!(sed.is_match("a\tbA"));
}

#[test]
fn bracket_expressions() {
    assert!(bre("[abc]").is_match("xbx") && !bre("[abc]").is_match("xyz"));
    assert!(bre("[^abc]").is_match("abcd") && !bre("[^abc]").is_match("abc"));
    assert!(bre("^[a-c]*$").is_match("abcab") && !bre("^[a-c]*$").is_match("abd"));
    // `]` first is a member, also after `^`.
    assert!(bre("[]a]").is_match("]") && bre("[]a]").is_match("a"));
    assert!(bre("[^]a]").is_match("b") && !bre("[^]a]").is_match("]a"));
    // A backslash is an ordinary member.
    assert!(bre("[\\]").is_match("\\") && !bre("[\\]").is_match("x"));
    assert!(bre("[\\n]").is_match("n") && bre("[\\n]").is_match("\\"));
    assert!(bre("[\\]]").is_match("\\]") && !bre("[\\]]").is_match("]"));
    // `-` first or last is a member.
    assert!(bre("[-a]").is_match("-") && bre("[a-]").is_match("-"));
    assert!(!bre("[a-]").is_match("b"));
    // Characters the crate would read as set operations or escapes.
    for c in ["&", "~", "[", "^", "|", "."] {
        let class = format!("[x{c}]");
        assert!(bre(&class).is_match(c), "{class}");
        assert!(!bre(&class).is_match("y"), "{class}");
    }
    assert!(bre("[a&&b]").is_match("&"));
    assert!(bre("[[:digit:]]").is_match("a1") && !bre("[[:digit:]]").is_match("ab"));
    assert!(bre("^[[:alpha:][:digit:]_]*$").is_match("ab_1"));
    assert!(bre("[[:space:]]").is_match("a b") && bre("[^[:space:]]").is_match(" x "));
    assert!(bre("[[.-.]]").is_match("-") && bre("[[=a=]]").is_match("a"));
    assert!(bre("[[.a.]-c]").is_match("b"));
    // `[:` without its `:]` leaves the `[` an ordinary member.
    assert!(bre("[[]").is_match("["));
    // In sed, `\n` and `\t` inside brackets are still a newline and a tab.
    let sed = pattern("[\\t]", Syntax::Basic, Dialect::Sed).unwrap();
    assert!(sed.is_match("\t") && !sed.is_match("t"));
}

#[test]
fn gnu_extensions() {
    assert!(bre("\\w\\+").is_match("ab_1") && !bre("^\\w\\+$").is_match("a-b"));
    assert!(bre("\\W").is_match("a-b") && !bre("\\W").is_match("ab"));
    assert!(bre("a\\sb").is_match("a b") && bre("a\\Sb").is_match("axb"));
    assert!(bre("\\bfoo\\b").is_match("a foo b") && !bre("\\bfoo\\b").is_match("afoob"));
    assert!(bre("o\\B").is_match("foo") && !bre("o\\B").is_match("o"));
    assert!(bre("\\<bar").is_match("foo bar") && !bre("\\<bar").is_match("foobar"));
    assert!(bre("foo\\>").is_match("foo bar") && !bre("foo\\>").is_match("foobar"));
    assert_eq!(all(&bre("\\<b..\\>"), "foo bar bazz"), ["bar"]);
    assert!(bre("\\`a").is_match("ab") && !bre("\\`a").is_match("ba"));
    assert!(bre("a\\'").is_match("ba") && !bre("a\\'").is_match("ab"));
}

#[test]
fn back_references_in_a_pattern_are_refused_by_name() {
    for dialect in [Dialect::Grep, Dialect::Sed] {
        assert_eq!(
            bre_error("\\(a\\)\\1", dialect),
            "back-references (\\1) in a pattern are not supported in this simulated guest"
        );
        assert_eq!(
            ere_error("(a)(b)\\2", dialect),
            "back-references (\\2) in a pattern are not supported in this simulated guest"
        );
        // A reference to no group (or to one still open) is a plain error, as in GNU.
        assert_eq!(bre_error("\\1", dialect), "Invalid back reference");
        assert_eq!(bre_error("\\(a\\1\\)", dialect), "Invalid back reference");
    }
}

#[test]
fn bad_patterns_are_refused_with_glibc_s_messages() {
    let grep = Dialect::Grep;
    let sed = Dialect::Sed;
    let unmatched_bracket = "Unmatched [, [^, [:, [., or [=";
    assert_eq!(bre_error("[abc", grep), unmatched_bracket);
    assert_eq!(ere_error("[abc", grep), unmatched_bracket);
    assert_eq!(bre_error("[]", grep), unmatched_bracket);
    assert_eq!(bre_error("[[:alpha:]", grep), unmatched_bracket);
    assert_eq!(bre_error("[[:alpha]", grep), unmatched_bracket);
    assert_eq!(bre_error("a\\{2", grep), "Unmatched \\{");
    assert_eq!(ere_error("a{2", sed), "Unmatched \\{");
    assert_eq!(bre_error("a\\{x\\}", grep), "Invalid content of \\{\\}");
    assert_eq!(bre_error("a\\{\\}", grep), "Invalid content of \\{\\}");
    assert_eq!(ere_error("a{x}", sed), "Invalid content of \\{\\}");
    assert_eq!(ere_error("a{2,1}", grep), "Invalid content of \\{\\}");
    // Even GNU grep refuses these intervals (glibc only takes back a brace that opens no
    // interval at all).
    assert_eq!(ere_error("a{}", grep), "Invalid content of \\{\\}");
    assert_eq!(ere_error("a{1,2,3}", grep), "Invalid content of \\{\\}");
    assert!(ere("a{ 1}").is_match("a{ 1}"));
    assert_eq!(bre_error("\\(", grep), "Unmatched ( or \\(");
    assert_eq!(ere_error("(", grep), "Unmatched ( or \\(");
    assert_eq!(ere_error("(a(b)", sed), "Unmatched ( or \\(");
    assert_eq!(bre_error("\\)", grep), "Unmatched ) or \\)");
    assert_eq!(ere_error(")", sed), "Unmatched ) or \\)");
    // GNU grep reads a stray ERE `)` as a literal.
    assert!(ere("a)").is_match("a)"));
    assert_eq!(bre_error("[[:foo:]]", grep), "Invalid character class name");
    assert_eq!(bre_error("[z-a]", grep), "Invalid range end");
    assert_eq!(bre_error("[a-[:digit:]]", grep), "Invalid range end");
    assert_eq!(bre_error("[[.ab.]]", grep), "Invalid collation character");
    // Nothing at all after `[` is glibc's plainest error.
    assert_eq!(bre_error("a[", grep), "Invalid regular expression");
    assert_eq!(ere_error("[^", sed), "Invalid regular expression");
    // GNU's check for a slip, made after glibc's own.
    let class_syntax = "character class syntax is [[:space:]], not [:space:]";
    assert_eq!(bre_error("[:alpha:]", grep), class_syntax);
    assert_eq!(ere_error("x[:digit:]+", sed), class_syntax);
    assert_eq!(bre_error("[:alpha:]\\(", grep), "Unmatched ( or \\(");
    assert!(bre("[:]").is_match(":") && bre("[^:a:]").is_match("b"));
    assert_eq!(bre_error("a\\", grep), "Trailing backslash");
    assert_eq!(ere_error("a\\", grep), "Trailing backslash");
}

#[test]
fn the_size_of_a_pattern_is_bounded() {
    let too_big = "Regular expression too big";
    assert_eq!(bre_error("a\\{99999\\}", Dialect::Grep), too_big);
    // Small to write, huge once compiled.
    assert_eq!(ere_error("(((a{100}){100}){100})", Dialect::Grep), too_big);
    assert_eq!(ere_error("\\w{1000}{1000}", Dialect::Sed), too_big);
    // Long to write.
    let long = "a".repeat(MAX_PATTERN_BYTES + 1);
    assert_eq!(bre_error(&long, Dialect::Grep), too_big);
    let fixed = Pattern::new(&long, Options::new(Syntax::Fixed, Dialect::Grep));
    assert_eq!(fixed.err(), Some(PatternError::TooBig));
    // Deeply nested.
    let nested = format!("{}a{}", "(".repeat(300), ")".repeat(300));
    assert_eq!(ere_error(&nested, Dialect::Grep), too_big);
    let stars = format!("a{}", "*".repeat(300));
    assert_eq!(ere_error(&stars, Dialect::Grep), too_big);
    // What a learner writes is well within the bounds.
    assert!(pattern(
        "^[[:space:]]*#\\?[[:space:]]*\\(PermitRootLogin\\|PasswordAuthentication\\)[[:space:]]\\+\\w\\{2,3\\}$",
        Syntax::Basic,
        Dialect::Sed
    )
    .is_ok());
    assert!(pattern("\\w+\\s+\\w+", Syntax::Extended, Dialect::Grep).is_ok());
}

#[test]
fn case_insensitive() {
    let options = Options {
        ignore_case: true,
        ..Options::new(Syntax::Basic, Dialect::Grep)
    };
    let p = Pattern::new("nginx\\|httpd", options).unwrap();
    assert!(p.is_match("NGINX") && p.is_match("HttpD"));
    let p = Pattern::new("[[:lower:]]x", options).unwrap();
    assert!(p.is_match("AX"));
    assert_eq!(first(&p, "..AX.."), Some("AX"));
    let fixed = Pattern::new(
        "A.B",
        Options {
            ignore_case: true,
            ..Options::new(Syntax::Fixed, Dialect::Grep)
        },
    )
    .unwrap();
    assert!(fixed.is_match("xa.bx") && !fixed.is_match("axb"));
}

#[test]
fn fixed_strings_are_literal() {
    let p = Pattern::new("a.b*[c]$", Options::new(Syntax::Fixed, Dialect::Grep)).unwrap();
    assert!(p.is_match("xa.b*[c]$y") && !p.is_match("axbbc"));
}

#[test]
fn whole_lines_and_whole_words() {
    let line = Options {
        extent: Extent::Line,
        ..Options::new(Syntax::Extended, Dialect::Grep)
    };
    let p = Pattern::any(&["a|b", "cd"], line).unwrap();
    assert!(p.is_match("a") && p.is_match("cd") && !p.is_match("ab") && !p.is_match("cde"));
    let word = Options {
        extent: Extent::Word,
        ..Options::new(Syntax::Basic, Dialect::Grep)
    };
    let p = Pattern::new("ba.", word).unwrap();
    assert!(p.is_match("foo bar") && p.is_match("bar.") && !p.is_match("foobar"));
    assert!(!p.is_match("bars"));
}

/// POSIX wants the longest of the leftmost matches; the crate alone gives the first
/// alternative. This pins the POSIX choice.
#[test]
fn matches_are_leftmost_longest() {
    assert_eq!(
        first(&ere("nginx|nginx-full"), "nginx-full"),
        Some("nginx-full")
    );
    assert_eq!(first(&ere("a|ab|abc"), "xabcd"), Some("abc"));
    assert_eq!(first(&bre("a*\\(ab\\)*"), "aabab"), Some("aabab"));
    // Leftmost first: a longer match further right does not win.
    assert_eq!(first(&ere("b|abc"), "xbabc"), Some("b"));
    assert_eq!(all(&ere("b|abc"), "xbabc"), ["b", "abc"]);
    // The crate's own answer would be `nginx`.
    let crate_first = ::regex::Regex::new("nginx|nginx-full").unwrap();
    assert_eq!(
        crate_first.find("nginx-full").map(|m| m.as_str()),
        Some("nginx")
    );
}

#[test]
fn groups_of_the_longest_match() {
    let p = ere("(a*)((ab)*)");
    let found = p.matches_with_groups("aabab").next().unwrap();
    // GNU sed: [a|abab].
    assert_eq!(found.group("aabab", 1), "a");
    assert_eq!(found.group("aabab", 2), "abab");
    let p = ere("(a|ab)(c|bcd)(d*)");
    let found = p.matches_with_groups("abcd").next().unwrap();
    assert_eq!(
        (1..=3).map(|n| found.group("abcd", n)).collect::<Vec<_>>(),
        ["a", "bcd", ""]
    );
    // The groups are found within the span of the match, but `\b` and `$` at its end still
    // see the text after it: `a\b` cannot match before `b`.
    for p in [ere("(a)\\b|(a)"), ere("(a)$|(a)")] {
        let found = p.matches_with_groups("ab").next().unwrap();
        assert_eq!((found.group("ab", 1), found.group("ab", 2)), ("", "a"));
    }
    // A group that took no part is empty.
    let p = ere("(x)|y");
    let found = p.matches_with_groups("y").next().unwrap();
    assert_eq!(found.group("y", 1), "");
}

#[test]
fn groups_are_found_only_when_asked_for() {
    let p = ere("(a+)(b)");
    let spans = p.matches("xaab").next().unwrap();
    let groups = p.matches_with_groups("xaab").next().unwrap();
    assert_eq!((spans.start(), spans.end()), (groups.start(), groups.end()));
    assert_eq!(groups.group("xaab", 1), "aa");
    assert_eq!(spans.group("xaab", 1), "");
}

/// The lazy DFA gives up on Unicode word boundaries in text beyond ASCII; the Pike VM takes
/// over and the answer is the same.
#[test]
fn word_boundaries_in_text_beyond_ascii() {
    assert_eq!(all(&bre("\\<b..\\>"), "café bar"), ["bar"]);
    assert_eq!(all(&ere("\\bé+|\\bé+x"), "a éééx"), ["éééx"]);
    let p = ere("(é)(x)\\b");
    let found = p.matches_with_groups("é éx").next().unwrap();
    assert_eq!(found.group("é éx", 1), "é");
}

#[test]
fn empty_matches_follow_gnu_sed() {
    // `s/x*/-/g` on `abc` is `-a-b-c-`: an empty match at each position.
    let starts: Vec<usize> = bre("x*").matches("abc").map(|f| f.start()).collect();
    assert_eq!(starts, [0, 1, 2, 3]);
    // `s/a*/x/g` on `baaac` is `xbxcx`: no empty match right after `aaa`.
    let spans: Vec<(usize, usize)> = bre("a*")
        .matches("baaac")
        .map(|f| (f.start(), f.end()))
        .collect();
    assert_eq!(spans, [(0, 0), (1, 4), (5, 5)]);
    // Offsets stay on character boundaries.
    let spans: Vec<(usize, usize)> = bre("x*")
        .matches("é")
        .map(|f| (f.start(), f.end()))
        .collect();
    assert_eq!(spans, [(0, 0), (2, 2)]);
}

#[test]
fn non_ascii_text() {
    assert!(bre("é\\+").is_match("café"));
    assert_eq!(first(&ere("[é]+"), "caféé!"), Some("éé"));
    assert_eq!(first(&ere("."), "€"), Some("€"));
}

/// Patterns built from the characters that mean something in either syntax translate without
/// a panic, and compile or are refused (never a translation the crate rejects): every pattern
/// of up to three of them, and a fixed pseudo-random sample of longer ones.
#[test]
fn no_pattern_panics_or_mistranslates() {
    let alphabet: Vec<char> = "\\()[]{}|*+?.^$-:,1a".chars().collect();
    let mut sources = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..3 {
        let mut next = Vec::new();
        for prefix in &frontier {
            for c in &alphabet {
                next.push(format!("{prefix}{c}"));
            }
        }
        sources.extend(next.iter().cloned());
        frontier = next;
    }
    // A linear congruential generator: the same "random" patterns on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let pieces = [
        "\\(",
        "\\)",
        "(",
        ")",
        "[",
        "]",
        "[^",
        "[:alpha:]",
        "[.",
        ".]",
        "[=",
        "=]",
        "\\{",
        "\\}",
        "{",
        "}",
        "1",
        ",",
        "*",
        "+",
        "?",
        "\\+",
        "\\?",
        "|",
        "\\|",
        "^",
        "$",
        "\\",
        "\\1",
        "\\<",
        "\\w",
        "a",
        "-",
        "z",
        "\\n",
    ];
    for _ in 0..1_000 {
        let mut source = String::new();
        for _ in 0..8 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            source.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        sources.push(source);
    }
    let (exhaustive, sample) = sources.split_at(sources.len() - 1_000);
    for syntax in [Syntax::Basic, Syntax::Extended] {
        for dialect in [Dialect::Grep, Dialect::Sed] {
            let extended = syntax == Syntax::Extended;
            // Parsing is what can fail, and much quicker than compiling.
            for source in exhaustive {
                if let Ok(translation) = posix::translate(source, extended, dialect) {
                    let parsed = syntax::parse(&translation.regex);
                    assert!(
                        parsed.is_ok(),
                        "{source:?} ({syntax:?}, {dialect:?}): {parsed:?}"
                    );
                }
            }
            for source in sample {
                match Pattern::new(source, Options::new(syntax, dialect)) {
                    Ok(p) => {
                        let _ = p.matches("a1]:{,}*\\").count();
                    }
                    Err(PatternError::Untranslatable(why)) => {
                        panic!("{source:?} ({syntax:?}, {dialect:?}): {why}")
                    }
                    Err(_) => {}
                }
            }
        }
    }
}

/// Every match of a line made of matches, also with a pattern that reads to the end of the line
/// from each of them (quadratic, as in GNU sed and in the crate's own iteration).
#[test]
fn a_long_line_of_matches() {
    let line = "a".repeat(4 * 1024);
    assert_eq!(ere("a.*b|a").matches(&line).count(), line.len());
    assert_eq!(ere("(a)").matches_with_groups(&line).count(), line.len());
}
