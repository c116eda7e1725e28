//! Line-oriented text tools: `head`, `tail`, `wc`, `sort`.

use super::super::shell::{Outcome, Shell};
use super::args::{option_value, Flags};

impl Shell<'_> {
    /// Standard input or the named files, as (name, content); unreadable ones become errors.
    fn sources(
        &self,
        tool: &str,
        files: &[String],
        stdin: &str,
        outcome: &mut Outcome,
    ) -> Vec<(String, String)> {
        if files.is_empty() {
            return vec![("(standard input)".to_string(), stdin.to_string())];
        }
        let mut out = Vec::new();
        for file in files {
            match self.read_path(file) {
                Ok(content) => out.push((file.clone(), content)),
                Err(e) => outcome.error(1, &format!("{tool}: {file}: {}", e.describe())),
            }
        }
        out
    }

    pub(crate) fn cmd_head_tail(&self, tool: &str, args: &[String], stdin: &str) -> Outcome {
        let mut count = 10usize;
        let mut from_start = false;
        let mut files = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            let value = if let Some(value) = option_value(args, &mut index, "-n", "--lines") {
                value
            } else if arg.len() > 1
                && arg.starts_with('-')
                && arg[1..].chars().all(|c| c.is_ascii_digit())
            {
                Some(arg[1..].to_string())
            } else {
                if !arg.starts_with('-') || arg == "-" {
                    files.push(arg.clone());
                }
                index += 1;
                continue;
            };
            index += 1;
            let value = value.unwrap_or_default();
            from_start = value.starts_with('+');
            match value.trim_start_matches(['+', '-']).parse::<usize>() {
                Ok(n) => count = n,
                Err(_) => {
                    return Outcome::fail(1, &format!("{tool}: invalid number of lines: '{value}'"))
                }
            }
        }
        let mut outcome = Outcome::success();
        let sources = if files.is_empty() {
            vec![(String::new(), stdin.to_string())]
        } else {
            let mut found = Vec::new();
            for file in &files {
                match self.read_path(file) {
                    Ok(content) => found.push((file.clone(), content)),
                    Err(_) => outcome.error(
                        1,
                        &format!(
                            "{tool}: cannot open '{file}' for reading: No such file or directory"
                        ),
                    ),
                }
            }
            found
        };
        let headers = sources.len() > 1;
        for (index, (name, content)) in sources.iter().enumerate() {
            if headers {
                outcome.out.push_str(&format!(
                    "{}==> {name} <==\n",
                    if index > 0 { "\n" } else { "" }
                ));
            }
            let lines: Vec<&str> = content.split_inclusive('\n').collect();
            let selected = if tool == "head" {
                &lines[..count.min(lines.len())]
            } else if from_start {
                &lines[count.saturating_sub(1).min(lines.len())..]
            } else {
                &lines[lines.len().saturating_sub(count)..]
            };
            outcome.out.push_str(&selected.concat());
        }
        outcome
    }

    pub(crate) fn cmd_wc(&self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let mut outcome = Outcome::success();
        let sources = self.sources("wc", &flags.operands, stdin, &mut outcome);
        let wanted: Vec<char> = ['l', 'w', 'c', 'm']
            .into_iter()
            .filter(|c| flags.has(*c))
            .collect();
        let wanted = if wanted.is_empty() {
            vec!['l', 'w', 'c']
        } else {
            wanted
        };
        for (name, content) in sources {
            let counts: Vec<String> = wanted
                .iter()
                .map(|c| match c {
                    'l' => content.matches('\n').count(),
                    'w' => content.split_whitespace().count(),
                    'm' => content.chars().count(),
                    _ => content.len(),
                })
                .map(|n| n.to_string())
                .collect();
            let suffix = if flags.operands.is_empty() {
                String::new()
            } else {
                format!(" {name}")
            };
            outcome.say(&format!("{}{suffix}", counts.join(" ")));
        }
        outcome
    }

    pub(crate) fn cmd_sort(&self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let mut outcome = Outcome::success();
        let sources = self.sources("sort", &flags.operands, stdin, &mut outcome);
        let mut lines: Vec<String> = sources
            .iter()
            .flat_map(|(_, c)| c.lines().map(str::to_string))
            .collect();
        if flags.has('n') {
            let key = |s: &String| s.trim().parse::<f64>().unwrap_or(0.0);
            lines.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.cmp(b)));
        } else {
            lines.sort();
        }
        if flags.has('u') {
            lines.dedup();
        }
        if flags.has('r') {
            lines.reverse();
        }
        for line in lines {
            outcome.say(&line);
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn text_tools_head_tail_sort_wc() {
        let mut guest = al2023();
        run(&mut guest, "printf 'c\\nb\\na\\nb\\n' > /tmp/l");
        assert_eq!(run(&mut guest, "head -n 2 /tmp/l").stdout, "c\nb\n");
        assert_eq!(run(&mut guest, "tail -1 /tmp/l").stdout, "b\n");
        assert_eq!(run(&mut guest, "sort -u /tmp/l").stdout, "a\nb\nc\n");
        assert_eq!(
            run(&mut guest, "cat /tmp/l | sort -r | head -n 1").stdout,
            "c\n"
        );
        assert_eq!(run(&mut guest, "wc -l /tmp/l").stdout, "4 /tmp/l\n");
        let result = run(&mut guest, "head /missing");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("cannot open '/missing' for reading"));
    }
}
