//! Completion of a partly typed script line (`amilab explore`'s Tab): service names in
//! `client("…`, a client's methods after `.`, the request keys of the method being called
//! inside its `#{ … }` (and in the maps nested in it, from the operation's input shape), waiter
//! and paginator names, and the session's variables.
//!
//! It reads the text only (no parsing: the line is incomplete by nature), with what the session
//! knows of its variables; everything offered comes from the cloud's operation table.

use amilab_awscli::Shape;
use amilab_cloud::api::{self, SERVICES};
use amilab_cloud::{paginators, waiters};

use super::session::Variable;

/// What to put where: replace `line[start..pos]` with one of `candidates` (sorted, unique).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<String>,
}

/// Functions a script calls on their own (besides the standard library's).
const FUNCTIONS: &[&str] = &["aws", "client", "debug", "print", "session", "sleep"];

/// Methods every client has besides its operations (boto3's).
const CLIENT_METHODS: &[&str] = &["can_paginate", "get_paginator", "get_waiter"];

/// Keywords worth offering at the start of a word.
const KEYWORDS: &[&str] = &[
    "catch", "else", "false", "fn", "for", "if", "let", "loop", "return", "throw", "true", "try",
    "while",
];

/// Candidates for the word that ends at byte `pos` of `line`, given the session's `variables`.
pub fn complete(line: &str, pos: usize, variables: &[Variable]) -> Completion {
    let pos = floor_char_boundary(line, pos);
    let before = &line[..pos];
    let scan = Scan::of(before);
    if let Some(quote) = scan.open_string {
        return in_string(before, quote, variables);
    }
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(pos);
    let word = &before[start..];
    let head = &before[..start];
    let candidates: Vec<String> = if let Some(receiver) = head.strip_suffix('.') {
        match service_of(receiver, variables) {
            Some(service) => api::methods(service)
                .into_iter()
                .chain(CLIENT_METHODS.iter().map(|m| m.to_string()))
                .collect(),
            None => Vec::new(),
        }
    } else if let Some(keys) = request_keys(head, &scan, variables) {
        keys
    } else {
        variables
            .iter()
            .map(|v| v.name.clone())
            .chain(FUNCTIONS.iter().chain(KEYWORDS).map(|s| s.to_string()))
            .collect()
    };
    Completion {
        start,
        candidates: matching(candidates, word),
    }
}

/// Inside a string: the service of `client("…`, a waiter or paginator name.
fn in_string(before: &str, quote: usize, variables: &[Variable]) -> Completion {
    let typed = &before[quote + 1..];
    let call = before[..quote].trim_end();
    let Some(call) = call.strip_suffix('(') else {
        return Completion::default();
    };
    let name_start = call
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(call.len());
    let (receiver, name) = call.split_at(name_start);
    let receiver = receiver.strip_suffix('.');
    let candidates: Vec<String> = match name {
        "client" => SERVICES.iter().map(|s| s.to_string()).collect(),
        "get_waiter" => receiver
            .and_then(|r| service_of(r, variables))
            .map(|s| {
                waiters::waiter_names(s)
                    .into_iter()
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
        "get_paginator" | "can_paginate" => receiver
            .and_then(|r| service_of(r, variables))
            .map(|s| {
                paginators::paginator_names(s)
                    .into_iter()
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Completion {
        start: quote + 1,
        candidates: matching(candidates, typed),
    }
}

/// The request keys offered at a key's place inside `receiver.method(#{ … `, also in the maps
/// nested in it (`block_device_mappings: [#{ebs: #{vol`), less those already given; `None`
/// when `head` is not at a key's place in a map (at one, with no request to read keys from,
/// nothing is offered: the keys are the caller's).
fn request_keys(head: &str, scan: &Scan, variables: &[Variable]) -> Option<Vec<String>> {
    let innermost = *scan.open.last()?;
    if !head[innermost..].starts_with("#{") {
        return None;
    }
    let inside = &head[innermost + 2..];
    let last = inside.trim_end().chars().last();
    if !matches!(last, None | Some(',')) {
        return None; // a value's place, not a key's
    }
    let known = request_members(head, scan, variables).unwrap_or_default();
    let given = given_keys(inside);
    Some(known.into_iter().filter(|k| !given.contains(k)).collect())
}

/// The members of the request structure whose map is the innermost open one in `head`.
fn request_members(head: &str, scan: &Scan, variables: &[Variable]) -> Option<Vec<String>> {
    // The call's own map: the innermost `#{` that follows `receiver.method(`.
    let (call_at, operation) = scan.open.iter().enumerate().rev().find_map(|(i, &at)| {
        if !head[at..].starts_with("#{") {
            return None;
        }
        let call = head[..at].trim_end().strip_suffix('(')?;
        let method_start = word_start(call)?;
        let receiver = call[..method_start].strip_suffix('.')?;
        let service = service_of(receiver, variables)?;
        Some((i, api::operation(service, &call[method_start..])?))
    })?;
    let mut shape = amilab_awscli::model::input_shape(operation);
    // Down from the call's map to the innermost one: a member's value, or a list's item.
    for pair in scan.open[call_at..].windows(2) {
        let (parent, child) = (pair[0], pair[1]);
        shape = if head[parent..].starts_with("#{") {
            let before = head[..child].trim_end().strip_suffix(':')?.trim_end();
            let key = &before[word_start(before)?..];
            match shape {
                Shape::Structure(members) => members.into_iter().find(|m| m.key == key)?.shape,
                _ => return None,
            }
        } else if head[parent..].starts_with('[') {
            match shape {
                Shape::List(item) => *item,
                _ => return None,
            }
        } else {
            return None; // a call or a block inside the request: not a request's shape
        };
    }
    match shape {
        Shape::Structure(members) => Some(members.into_iter().map(|m| m.key).collect()),
        _ => None, // a map whose keys are the caller's (tags, SSM parameters)
    }
}

/// Where the word that ends `text` starts; `None` when `text` does not end with one.
fn word_start(text: &str) -> Option<usize> {
    text.char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map(|(i, _)| i)
}

/// The keys written so far at the top level of a map's text (`a: 1, b: [2, 3], c`).
fn given_keys(inside: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut entry = String::new();
    for c in inside.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                keys.extend(entry.split(':').next().map(|k| k.trim().to_string()));
                entry.clear();
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            entry.push(c);
        }
    }
    keys
}

/// The service of the client an expression stands for: a variable holding a client, a
/// variable named after a service (`ec2`, before it is assigned), or `client("svc"…)` /
/// `session(…).client("svc"…)`.
fn service_of(receiver: &str, variables: &[Variable]) -> Option<&'static str> {
    let receiver = receiver.trim_end();
    if let Some(call) = receiver.strip_suffix(')') {
        let open = matching_open(call)?;
        let name = call[..open].trim_end();
        if !name.ends_with("client") {
            return None;
        }
        let arg = call[open + 1..].trim_start().strip_prefix('"')?;
        let service = &arg[..arg.find('"')?];
        return SERVICES.iter().copied().find(|s| *s == service);
    }
    let name_start = receiver
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map(|(i, _)| i)?;
    let name = &receiver[name_start..];
    match variables.iter().find(|v| v.name == name) {
        Some(v) => v.service,
        None => SERVICES.iter().copied().find(|s| *s == name),
    }
}

/// Where the `(` that the end of `text` closes is (`text` is what precedes its `)`).
fn matching_open(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(i),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// What is open at the end of a text: brackets (byte offsets of `(`, `[`, `{` or the `#` of
/// `#{`) and a string (the offset of its quote). Comments are skipped.
struct Scan {
    open: Vec<usize>,
    open_string: Option<usize>,
}

impl Scan {
    fn of(text: &str) -> Scan {
        let mut open = Vec::new();
        let mut string: Option<(usize, char)> = None;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if let Some((_, quote)) = string {
                match c {
                    '\\' if quote == '"' => {
                        chars.next();
                    }
                    c if c == quote => string = None,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' | '`' => string = Some((i, c)),
                '/' if chars.peek().map(|(_, c)| *c) == Some('/') => {
                    for (_, c) in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '#' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                    chars.next();
                    open.push(i);
                }
                '(' | '[' | '{' => open.push(i),
                ')' | ']' | '}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        Scan {
            open,
            open_string: string.map(|(i, _)| i),
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `candidates` that start with `typed`, sorted, each once.
fn matching(mut candidates: Vec<String>, typed: &str) -> Vec<String> {
    candidates.retain(|c| c.starts_with(typed));
    candidates.sort();
    candidates.dedup();
    candidates
}

/// The largest char boundary at or before `pos` (a cursor position from outside).
fn floor_char_boundary(s: &str, pos: usize) -> usize {
    let mut pos = pos.min(s.len());
    while !s.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(line: &str) -> Completion {
        complete(line, line.len(), &[])
    }

    #[test]
    fn methods_of_a_client_after_a_dot() {
        let c = at_end("ec2.desc");
        assert_eq!(c.start, 4);
        for m in [
            "describe_images",
            "describe_instances",
            "describe_snapshots",
        ] {
            assert!(
                c.candidates.iter().any(|x| x == m),
                "{m} in {:?}",
                c.candidates
            );
        }
        assert!(c.candidates.iter().all(|x| x.starts_with("desc")));
        assert!(!c.candidates.iter().any(|x| x == "send_command")); // ssm's
    }

    #[test]
    fn the_service_comes_from_the_variable_or_the_client_call() {
        let vars = [Variable {
            name: "west".into(),
            service: Some("ssm"),
        }];
        let c = complete("west.send_c", 11, &vars);
        assert_eq!(c.candidates, ["send_command"]);
        let c = at_end(r#"client("ec2", "eu-west-1").create_im"#);
        assert_eq!(c.candidates, ["create_image"]);
        let c = at_end(r#"session("444455556666").client("kms", "us-east-1").create_k"#);
        assert_eq!(c.candidates, ["create_key"]);
        let c = at_end("ec2.get_w");
        assert_eq!(c.candidates, ["get_waiter"]);
        // Not a client: nothing.
        let vars = [Variable {
            name: "images".into(),
            service: None,
        }];
        assert!(complete("images.le", 9, &vars).candidates.is_empty());
    }

    #[test]
    fn request_keys_inside_the_map_of_the_call() {
        let c = at_end("ec2.run_instances(#{im");
        assert_eq!(c.candidates, ["image_id"]);
        assert_eq!(c.start, "ec2.run_instances(#{".len());
        let c = at_end("let r = ec2.run_instances(#{image_id: id, min_count: 1, m");
        assert_eq!(
            c.candidates,
            ["max_count", "metadata_options", "monitoring"]
        );
        let c = at_end("ec2.describe_images(#{\n  ");
        assert!(c.candidates.iter().any(|k| k == "image_ids"));
        assert!(c.candidates.iter().any(|k| k == "owners"));
        // Maps nested in the request: a structure's members, a list's items.
        let c = at_end("ec2.run_instances(#{block_device_mappings: [#{device_name: \"/dev/xvda\", ebs: #{volume_s");
        assert_eq!(c.candidates, ["volume_size"]);
        let c = at_end("ec2.describe_images(#{filters: [#{");
        assert_eq!(c.candidates, ["name", "values"]);
        let c = at_end("ec2.describe_images(#{owners: [\"self\"], filters: [#{name: \"state\", values: [\"available\"]}, #{n");
        assert_eq!(c.candidates, ["name"]);
        // Keys the caller chooses (SSM's parameters) are not offered.
        assert!(at_end("ssm.send_command(#{parameters: #{c")
            .candidates
            .is_empty());
        // A value's place is not a key's.
        assert!(!at_end("ec2.run_instances(#{image_id: im")
            .candidates
            .contains(&"image_id".to_string()));
    }

    #[test]
    fn service_waiter_and_paginator_names_in_strings() {
        let c = at_end(r#"let s = client("s"#);
        assert_eq!(c.candidates, ["ssm", "sts"]);
        assert_eq!(c.start, r#"let s = client(""#.len());
        let c = at_end(r#"ec2.get_waiter("image_"#);
        assert!(c.candidates.iter().any(|w| w == "image_available"));
        let c = at_end(r#"ec2.get_paginator("describe_im"#);
        assert_eq!(c.candidates, ["describe_images"]);
        // Any other string: nothing.
        assert!(at_end(r#"print("ec"#).candidates.is_empty());
    }

    #[test]
    fn variables_functions_and_keywords_elsewhere() {
        let vars = [Variable {
            name: "image_id".into(),
            service: None,
        }];
        assert_eq!(complete("print(ima", 9, &vars).candidates, ["image_id"]);
        assert_eq!(at_end("cli").candidates, ["client"]);
        assert_eq!(at_end("let x = 1; wh").candidates, ["while"]);
    }

    #[test]
    fn odd_positions_do_not_panic() {
        for line in ["", "é.", "\"", "#{", ")", "a.b(#{,", "x(\"é", "// ec2.desc"] {
            for pos in 0..=line.len() + 1 {
                let _ = complete(line, pos, &[]);
            }
        }
    }
}
