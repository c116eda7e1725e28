//! File tools: `cat`, `ls`, `mkdir`, `rm`, `rmdir`, `touch`, `cp`, `mv`, `chmod`, `chown`, `ln`,
//! `tee`, `basename`, `dirname`.

use super::super::fs::Meta;
use super::super::paths::{base_name, child_path, is_device, is_inside, parent_of};
use super::super::shell::{push_bounded, Outcome, Shell};
use super::args::{option_value, Flags};

fn mode_string(mode: u32, is_dir: bool) -> String {
    let mut s = String::from(if is_dir { "d" } else { "-" });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// Applies a chmod mode (`755`, `u+x`, `go-w`, `a=r,u+w`) to `current`; `None` if invalid.
pub(crate) fn parse_mode(spec: &str, current: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.len() <= 4 && spec.chars().all(|c| ('0'..='7').contains(&c)) {
        return u32::from_str_radix(spec, 8).ok();
    }
    let mut mode = current;
    for clause in spec.split(',') {
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                'u' => who |= 0o700,
                'g' => who |= 0o070,
                'o' => who |= 0o007,
                'a' => who |= 0o777,
                _ => break,
            }
            i += 1;
        }
        if who == 0 {
            who = 0o777;
        }
        if i >= chars.len() {
            return None;
        }
        while i < chars.len() {
            let op = chars[i];
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            i += 1;
            let mut bits = 0;
            while let Some(&c) = chars.get(i) {
                match c {
                    'r' => bits |= 0o444,
                    'w' => bits |= 0o222,
                    'x' => bits |= 0o111,
                    'X' if is_dir || mode & 0o111 != 0 => bits |= 0o111,
                    'X' | 's' | 't' => {}
                    _ => break,
                }
                i += 1;
            }
            bits &= who;
            mode = match op {
                '+' => mode | bits,
                '-' => mode & !bits,
                _ => (mode & !who) | bits,
            };
        }
    }
    Some(mode)
}

/// The operands of `cp` and `mv`: what to copy or move, and where.
struct Transfer<'a> {
    sources: &'a [String],
    /// The destination as given, for messages.
    dest_raw: &'a String,
    dest: String,
    dest_is_dir: bool,
}

impl Shell<'_> {
    pub(crate) fn cmd_cat(&self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        if flags.operands.is_empty() {
            return Outcome::print(stdin);
        }
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            if operand == "-" {
                push_bounded(&mut outcome.out, stdin);
                continue;
            }
            match self.read_path(operand) {
                Ok(content) => push_bounded(&mut outcome.out, &content),
                Err(e) => outcome.error(1, &format!("cat: {operand}: {}", e.describe())),
            }
        }
        outcome
    }

    fn ls_long_line(&self, path: &str, shown: &str) -> String {
        let live = &self.guest.live;
        let meta = live.meta_of(path);
        let is_dir = live.is_dir(path);
        let size = if is_dir {
            4096
        } else {
            live.files.get(path).map_or(0, String::len)
        };
        format!(
            "{} {} {} {} {:>5} Jan  1 00:00 {shown}\n",
            mode_string(meta.mode, is_dir),
            if is_dir { 2 } else { 1 },
            meta.owner,
            meta.group,
            size
        )
    }

    pub(crate) fn cmd_ls(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let all = flags.any('a', "all");
        let almost_all = flags.any('A', "almost-all");
        let long = flags.has('l');
        let targets = if flags.operands.is_empty() {
            vec![".".to_string()]
        } else {
            flags.operands.clone()
        };
        let mut outcome = Outcome::success();
        let mut plain = Vec::new();
        let mut dirs = Vec::new();
        for target in &targets {
            let path = self.path(target);
            if self.guest.live.is_dir(&path) && !flags.has('d') {
                dirs.push((target.clone(), path));
            } else if self.guest.live.exists(&path) {
                plain.push((target.clone(), path));
            } else {
                outcome.error(
                    2,
                    &format!("ls: cannot access '{target}': No such file or directory"),
                );
            }
        }
        for (shown, path) in &plain {
            outcome.out.push_str(&if long {
                self.ls_long_line(path, shown)
            } else {
                format!("{shown}\n")
            });
        }
        let headers = plain.len() + dirs.len() > 1;
        for (index, (shown, path)) in dirs.iter().enumerate() {
            if headers {
                if index > 0 || !plain.is_empty() {
                    outcome.out.push('\n');
                }
                outcome.out.push_str(&format!("{shown}:\n"));
            }
            let mut entries: Vec<(String, String)> = Vec::new();
            if all {
                entries.push((".".into(), path.clone()));
                entries.push(("..".into(), parent_of(path).to_string()));
            }
            for name in self.guest.live.children(path).into_keys() {
                if !name.starts_with('.') || all || almost_all {
                    let child = child_path(path, &name);
                    entries.push((name, child));
                }
            }
            if long {
                outcome
                    .out
                    .push_str(&format!("total {}\n", entries.len() * 4));
            }
            for (name, child) in entries {
                let line = if long {
                    self.ls_long_line(&child, &name)
                } else {
                    format!("{name}\n")
                };
                push_bounded(&mut outcome.out, &line);
            }
        }
        outcome
    }

    pub(crate) fn cmd_mkdir(&mut self, args: &[String]) -> Outcome {
        let mut parents = false;
        let mut mode = None;
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            if let Some(value) = option_value(args, &mut index, "-m", "--mode") {
                mode = value;
            } else if args[index] == "--parents" {
                parents = true;
            } else if args[index].starts_with('-') && args[index].len() > 1 {
                parents |= args[index].contains('p');
            } else {
                operands.push(args[index].clone());
            }
            index += 1;
        }
        if operands.is_empty() {
            return Outcome::fail(1, "mkdir: missing operand");
        }
        let mut outcome = Outcome::success();
        for operand in operands {
            let path = self.path(&operand);
            let result = if parents {
                self.guest.live.mkdir_all(&path)
            } else {
                self.guest.live.mkdir(&path)
            };
            match result {
                Ok(()) => {
                    if let Some(bits) = mode.as_deref().and_then(|m| parse_mode(m, 0o755, true)) {
                        let meta = Meta {
                            mode: bits,
                            ..self.guest.live.meta_of(&path)
                        };
                        self.guest.live.set_meta(&path, meta);
                    }
                }
                Err(e) => outcome.error(
                    1,
                    &format!(
                        "mkdir: cannot create directory '{operand}': {}",
                        e.describe()
                    ),
                ),
            }
        }
        outcome
    }

    pub(crate) fn cmd_rm(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let recursive = flags.has('r') || flags.has('R') || flags.long.contains("recursive");
        let force = flags.any('f', "force");
        if flags.operands.is_empty() {
            return if force {
                Outcome::success()
            } else {
                Outcome::fail(1, "rm: missing operand")
            };
        }
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            let path = self.path(operand);
            let live = &mut self.guest.live;
            if live.is_dir(&path) {
                if !recursive {
                    outcome.error(1, &format!("rm: cannot remove '{operand}': Is a directory"));
                } else if path == "/" {
                    outcome.error(1, "rm: it is dangerous to operate recursively on '/'");
                    outcome.warn("rm: use --no-preserve-root to override this failsafe");
                } else {
                    live.remove_tree(&path);
                }
            } else if !live.remove_file(&path) && !force {
                outcome.error(
                    1,
                    &format!("rm: cannot remove '{operand}': No such file or directory"),
                );
            }
        }
        outcome
    }

    pub(crate) fn cmd_rmdir(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            let path = self.path(operand);
            let live = &mut self.guest.live;
            if !live.is_dir(&path) {
                let why = live.not_a_dir_error(&path).describe();
                outcome.error(1, &format!("rmdir: failed to remove '{operand}': {why}"));
            } else if !live.children(&path).is_empty() {
                outcome.error(
                    1,
                    &format!("rmdir: failed to remove '{operand}': Directory not empty"),
                );
            } else {
                live.remove_dir_entry(&path);
            }
        }
        outcome
    }

    pub(crate) fn cmd_touch(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        if flags.operands.is_empty() {
            return Outcome::fail(1, "touch: missing file operand");
        }
        let mut outcome = Outcome::success();
        for operand in &flags.operands {
            let path = self.path(operand);
            if self.guest.live.exists(&path) || is_device(&path) || flags.has('c') {
                continue;
            }
            if let Err(e) = self.guest.live.write(&path, String::new()) {
                outcome.error(
                    1,
                    &format!("touch: cannot touch '{operand}': {}", e.describe()),
                );
            }
        }
        outcome
    }

    /// Splits `cp`/`mv` operands into sources and destination, or the usage error `tool` gives.
    fn transfer_operands<'a>(
        &self,
        tool: &str,
        operands: &'a [String],
    ) -> Result<Transfer<'a>, Outcome> {
        let Some((dest_raw, sources)) = operands.split_last() else {
            return Err(Outcome::fail(1, &format!("{tool}: missing file operand")));
        };
        if sources.is_empty() {
            return Err(Outcome::fail(
                1,
                &format!("{tool}: missing destination file operand after '{dest_raw}'"),
            ));
        }
        let dest = self.path(dest_raw);
        let dest_is_dir = self.guest.live.is_dir(&dest);
        if sources.len() > 1 && !dest_is_dir {
            return Err(Outcome::fail(
                1,
                &format!("{tool}: target '{dest_raw}' is not a directory"),
            ));
        }
        Ok(Transfer {
            sources,
            dest_raw,
            dest,
            dest_is_dir,
        })
    }

    pub(crate) fn cmd_cp(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let recursive =
            flags.has('r') || flags.has('R') || flags.has('a') || flags.long.contains("recursive");
        let Transfer {
            sources,
            dest_raw,
            dest,
            dest_is_dir,
        } = match self.transfer_operands("cp", &flags.operands) {
            Ok(transfer) => transfer,
            Err(usage) => return usage,
        };
        let mut outcome = Outcome::success();
        for source_raw in sources {
            let source = self.path(source_raw);
            let name = base_name(&source).to_string();
            let (target, shown) = if dest_is_dir {
                (
                    child_path(&dest, &name),
                    format!("{}/{name}", dest_raw.trim_end_matches('/')),
                )
            } else {
                (dest.clone(), dest_raw.clone())
            };
            let live = &mut self.guest.live;
            if live.is_dir(&source) {
                if !recursive {
                    outcome.error(
                        1,
                        &format!("cp: -r not specified; omitting directory '{source_raw}'"),
                    );
                } else if is_inside(&target, &source) {
                    outcome.error(
                        1,
                        &format!(
                            "cp: cannot copy a directory, '{source_raw}', into itself, '{shown}'"
                        ),
                    );
                } else if let Err(e) = live.copy_tree(&source, &target) {
                    outcome.error(
                        1,
                        &format!("cp: cannot create directory '{shown}': {}", e.describe()),
                    );
                }
            } else if let Some(content) = live.files.get(&source).cloned() {
                if target == source {
                    outcome.error(
                        1,
                        &format!("cp: '{source_raw}' and '{shown}' are the same file"),
                    );
                    continue;
                }
                let existed = live.is_file(&target);
                match live.write(&target, content) {
                    Ok(()) if !existed => {
                        let mode = live.meta_of(&source).mode;
                        live.set_meta(
                            &target,
                            Meta {
                                mode,
                                ..Meta::default_for(false)
                            },
                        );
                    }
                    Ok(()) => {}
                    Err(e) => outcome.error(
                        1,
                        &format!("cp: cannot create regular file '{shown}': {}", e.describe()),
                    ),
                }
            } else {
                outcome.error(
                    1,
                    &format!("cp: cannot stat '{source_raw}': No such file or directory"),
                );
            }
        }
        outcome
    }

    pub(crate) fn cmd_mv(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let Transfer {
            sources,
            dest_raw,
            dest,
            dest_is_dir,
        } = match self.transfer_operands("mv", &flags.operands) {
            Ok(transfer) => transfer,
            Err(usage) => return usage,
        };
        let mut outcome = Outcome::success();
        for source_raw in sources {
            let source = self.path(source_raw);
            let target = if dest_is_dir {
                child_path(&dest, base_name(&source))
            } else {
                dest.clone()
            };
            let live = &mut self.guest.live;
            if !live.exists(&source) {
                outcome.error(
                    1,
                    &format!("mv: cannot stat '{source_raw}': No such file or directory"),
                );
                continue;
            }
            if target == source {
                outcome.error(
                    1,
                    &format!("mv: '{source_raw}' and '{dest_raw}' are the same file"),
                );
                continue;
            }
            if live.is_dir(&source) && is_inside(&target, &source) {
                outcome.error(
                    1,
                    &format!(
                        "mv: cannot move '{source_raw}' to a subdirectory of itself, '{dest_raw}'"
                    ),
                );
                continue;
            }
            if live.is_dir(&target) {
                if live.is_file(&source) {
                    outcome.error(
                        1,
                        &format!("mv: cannot overwrite directory '{dest_raw}' with non-directory"),
                    );
                    continue;
                }
                if !live.children(&target).is_empty() {
                    outcome.error(
                        1,
                        &format!(
                            "mv: cannot move '{source_raw}' to '{dest_raw}': Directory not empty"
                        ),
                    );
                    continue;
                }
                live.remove_dir_entry(&target);
            } else if live.is_file(&target) {
                if live.is_dir(&source) {
                    outcome.error(1, &format!("mv: cannot overwrite non-directory '{dest_raw}' with directory '{source_raw}'"));
                    continue;
                }
                live.remove_file(&target);
            }
            if let Err(e) = live.rename(&source, &target) {
                outcome.error(
                    1,
                    &format!(
                        "mv: cannot move '{source_raw}' to '{dest_raw}': {}",
                        e.describe()
                    ),
                );
            }
        }
        outcome
    }

    /// Paths a recursive operation on `path` touches: itself, then everything below it.
    fn tree_paths(&self, path: &str, recursive: bool) -> Vec<String> {
        let mut paths = vec![path.to_string()];
        if recursive && self.guest.live.is_dir(path) {
            let (files, dirs) = self.guest.live.subtree(path);
            paths.extend(dirs);
            paths.extend(files);
        }
        paths
    }

    /// Applies `change` (given the metadata and whether it is a directory's) to each path, and to
    /// everything below it when `recursive`; missing paths are reported the way `tool` does.
    fn change_meta(
        &mut self,
        tool: &str,
        paths: &[&String],
        recursive: bool,
        mut change: impl FnMut(&mut Meta, bool),
    ) -> Outcome {
        let mut outcome = Outcome::success();
        for raw in paths {
            let path = self.path(raw);
            if !self.guest.live.exists(&path) {
                outcome.error(
                    1,
                    &format!("{tool}: cannot access '{raw}': No such file or directory"),
                );
                continue;
            }
            for target in self.tree_paths(&path, recursive) {
                let live = &mut self.guest.live;
                let mut meta = live.meta_of(&target);
                change(&mut meta, live.is_dir(&target));
                live.set_meta(&target, meta);
            }
        }
        outcome
    }

    pub(crate) fn cmd_chmod(&mut self, args: &[String]) -> Outcome {
        let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
        let rest: Vec<&String> = args
            .iter()
            .filter(|a| !matches!(a.as_str(), "-R" | "--recursive" | "-v" | "-f" | "-c"))
            .collect();
        let Some((mode, paths)) = rest.split_first() else {
            return Outcome::fail(1, "chmod: missing operand");
        };
        if paths.is_empty() {
            return Outcome::fail(1, &format!("chmod: missing operand after '{mode}'"));
        }
        if parse_mode(mode, 0o644, false).is_none() {
            return Outcome::fail(1, &format!("chmod: invalid mode: '{mode}'"));
        }
        self.change_meta("chmod", paths, recursive, |meta, is_dir| {
            meta.mode = parse_mode(mode, meta.mode, is_dir).unwrap_or(meta.mode);
        })
    }

    pub(crate) fn cmd_chown(&mut self, tool: &str, args: &[String]) -> Outcome {
        let recursive = args.iter().any(|a| a == "-R" || a == "--recursive");
        let rest: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some((spec, paths)) = rest.split_first() else {
            return Outcome::fail(1, &format!("{tool}: missing operand"));
        };
        if paths.is_empty() {
            return Outcome::fail(1, &format!("{tool}: missing operand after '{spec}'"));
        }
        let (user, group) = match spec.split_once([':', '.']) {
            Some((user, group)) => (user, Some(group)),
            None => (spec.as_str(), None),
        };
        if !user.is_empty() && !self.guest.users.contains_key(user) {
            return Outcome::fail(1, &format!("{tool}: invalid user: '{spec}'"));
        }
        let group = match group {
            Some("") => self.guest.users.get(user).map(|a| a.group.clone()),
            Some(group) if !self.guest.groups.contains_key(group) => {
                return Outcome::fail(1, &format!("{tool}: invalid group: '{spec}'"));
            }
            Some(group) => Some(group.to_string()),
            None => None,
        };
        self.change_meta(tool, paths, recursive, |meta, _| {
            if !user.is_empty() {
                meta.owner = user.to_string();
            }
            if let Some(group) = &group {
                meta.group = group.clone();
            }
        })
    }

    /// `chgrp GROUP FILE…` is `chown :GROUP FILE…`.
    pub(crate) fn cmd_chgrp(&mut self, args: &[String]) -> Outcome {
        let mut converted = args.to_vec();
        if let Some(group) = converted.iter_mut().find(|a| !a.starts_with('-')) {
            *group = format!(":{group}");
        }
        self.cmd_chown("chgrp", &converted)
    }

    /// Symbolic links are not modelled: `ln` checks its arguments and succeeds.
    pub(crate) fn cmd_ln(&self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let Some((link, targets)) = flags.operands.split_last() else {
            return Outcome::fail(1, "ln: missing file operand");
        };
        let Some(target) = targets.first() else {
            return Outcome::success();
        };
        let live = &self.guest.live;
        if !flags.has('s') && !live.exists(&self.path(target)) {
            return Outcome::fail(
                1,
                &format!("ln: failed to access '{target}': No such file or directory"),
            );
        }
        let link_path = self.path(link);
        if !live.is_dir(&link_path) && live.check_parent(&link_path).is_err() {
            let kind = if flags.has('s') {
                "symbolic link"
            } else {
                "hard link"
            };
            return Outcome::fail(
                1,
                &format!("ln: failed to create {kind} '{link}': No such file or directory"),
            );
        }
        Outcome::success()
    }

    pub(crate) fn cmd_tee(&mut self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let append = flags.any('a', "append");
        let mut outcome = Outcome::print(stdin);
        for operand in &flags.operands {
            if let Err(e) = self.write_path(operand, stdin.to_string(), append) {
                outcome.error(1, &format!("tee: {operand}: {}", e.describe()));
            }
        }
        outcome
    }
}

pub(crate) fn cmd_basename(args: &[String]) -> Outcome {
    match args.first() {
        Some(path) => {
            let base = base_name(path);
            let base = args
                .get(1)
                .and_then(|suffix| base.strip_suffix(suffix.as_str()))
                .unwrap_or(base);
            Outcome::print(format!("{base}\n"))
        }
        None => Outcome::fail(1, "basename: missing operand"),
    }
}

pub(crate) fn cmd_dirname(args: &[String]) -> Outcome {
    match args.first() {
        Some(path) if path.contains('/') => {
            Outcome::print(format!("{}\n", parent_of(path.trim_end_matches('/'))))
        }
        Some(_) => Outcome::print(".\n"),
        None => Outcome::fail(1, "dirname: missing operand"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn echo_redirects_and_tee() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "echo 'PORT=8080' >> /etc/environment\necho first > /tmp/f\necho second >> /tmp/f\necho \"<h1>hello</h1>\" | sudo tee /tmp/page.html\necho more | tee -a /tmp/page.html > /dev/null",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "<h1>hello</h1>\n", "tee echoes its input");
        assert_eq!(
            guest.file("/etc/environment").as_deref(),
            Some("PORT=8080\n")
        );
        assert_eq!(guest.file("/tmp/f").as_deref(), Some("first\nsecond\n"));
        assert_eq!(
            guest.file("/tmp/page.html").as_deref(),
            Some("<h1>hello</h1>\nmore\n")
        );
        let result = run(
            &mut guest,
            "echo -n abc > /tmp/n\necho -e 'a\\tb' > /tmp/e\nprintf '%s-%s\\n' x y > /tmp/p",
        );
        assert_eq!(result.exit_code, 0);
        assert_eq!(guest.file("/tmp/n").as_deref(), Some("abc"));
        assert_eq!(guest.file("/tmp/e").as_deref(), Some("a\tb\n"));
        assert_eq!(guest.file("/tmp/p").as_deref(), Some("x-y\n"));
    }

    #[test]
    fn cat_reads_files_and_reports_missing_ones() {
        let mut guest = al2023();
        let result = run(&mut guest, "cat /etc/hostname /nope");
        assert_eq!(result.exit_code, 1);
        assert_eq!(result.stdout, "ip-172-31-16-10.ec2.internal\n");
        assert_eq!(result.stderr, "cat: /nope: No such file or directory\n");
        assert_eq!(
            run(&mut guest, "cat /etc").stderr,
            "cat: /etc: Is a directory\n"
        );
    }

    #[test]
    fn mkdir_needs_parents_without_p() {
        let mut guest = al2023();
        let result = run(&mut guest, "mkdir /a/b");
        assert_eq!(result.exit_code, 1);
        assert_eq!(
            result.stderr,
            "mkdir: cannot create directory '/a/b': No such file or directory\n"
        );
        assert_eq!(
            run(&mut guest, "mkdir -p /a/b/c && mkdir -p /a/b").exit_code,
            0
        );
        assert!(guest.has_directory("/a/b/c"));
        assert_eq!(
            run(&mut guest, "mkdir /a").stderr,
            "mkdir: cannot create directory '/a': File exists\n"
        );
    }

    #[test]
    fn rm_removes_files_and_trees() {
        let mut guest = al2023();
        run(
            &mut guest,
            "mkdir -p /srv/app/logs && touch /srv/app/logs/a.log /srv/app/x",
        );
        let result = run(&mut guest, "rm /srv/app");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "rm: cannot remove '/srv/app': Is a directory\n")
        );
        assert_eq!(run(&mut guest, "rm /srv/app/x").exit_code, 0);
        assert!(guest.file("/srv/app/x").is_none());
        assert_eq!(run(&mut guest, "rm -rf /srv/app").exit_code, 0);
        assert!(!guest.has_directory("/srv/app") && guest.file("/srv/app/logs/a.log").is_none());
        let result = run(&mut guest, "rm /missing");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (
                1,
                "rm: cannot remove '/missing': No such file or directory\n"
            )
        );
        assert_eq!(run(&mut guest, "rm -f /missing").exit_code, 0);
        assert_eq!(run(&mut guest, "rm -rf /").exit_code, 1);
        assert!(guest.has_directory("/etc"));
    }

    #[test]
    fn cp_mv_ls_and_globs() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "mkdir -p /d/sub\necho 1 > /d/b.log\necho 2 > /d/a.log\necho 3 > /d/.hidden\ncp /d/a.log /d/sub/\nmv /d/b.log /d/c.log\nls /d\nls -a /d/sub\necho /d/*.log",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(
            result.stdout,
            "a.log\nc.log\nsub\n.\n..\na.log\n/d/a.log /d/c.log\n"
        );
        assert_eq!(run(&mut guest, "cp /d /e").exit_code, 1);
        assert_eq!(run(&mut guest, "cp -r /d /e && mv /e /f").exit_code, 0);
        assert_eq!(guest.file("/f/sub/a.log").as_deref(), Some("2\n"));
        assert!(!guest.has_directory("/e"));
        let result = run(&mut guest, "rm /d/*.log\nls /d");
        assert_eq!(result.stdout, "sub\n");
        let result = run(&mut guest, "ls /none");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (2, "ls: cannot access '/none': No such file or directory\n")
        );
        assert_eq!(run(&mut guest, "mv /none /x").exit_code, 1);
    }

    #[test]
    fn chmod_chown_and_executing_scripts() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "echo 'echo from script' > /opt/run.sh\n/opt/run.sh",
        );
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (126, "bash: /opt/run.sh: Permission denied\n")
        );
        let result = run(
            &mut guest,
            "chmod +x /opt/run.sh && /opt/run.sh && bash /opt/run.sh",
        );
        assert_eq!(result.stdout, "from script\nfrom script\n");
        assert_eq!(guest.file_mode("/opt/run.sh").map(|m| m.0), Some(0o755));
        assert_eq!(run(&mut guest, "chmod 600 /nope").exit_code, 1);
        assert_eq!(run(&mut guest, "chmod abc /opt/run.sh").exit_code, 1);
        run(
            &mut guest,
            "useradd deploy\nmkdir -p /srv/app/x\nchown -R deploy:deploy /srv/app",
        );
        assert_eq!(
            guest.file_mode("/srv/app/x").map(|m| m.1),
            Some("deploy".to_string())
        );
        assert_eq!(
            run(&mut guest, "chown ghost /srv/app").stderr,
            "chown: invalid user: 'ghost'\n"
        );
        assert_eq!(run(&mut guest, "chown deploy /missing").exit_code, 1);
        let result = run(&mut guest, "ls -l /srv");
        assert!(
            result
                .stdout
                .contains("drwxr-xr-x 2 deploy deploy  4096 Jan  1 00:00 app"),
            "{}",
            result.stdout
        );
    }

    #[test]
    fn rmdir_and_ln() {
        let mut guest = al2023();
        run(&mut guest, "mkdir -p /x/y && touch /x/y/f");
        let result = run(&mut guest, "rmdir /x/y");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "rmdir: failed to remove '/x/y': Directory not empty\n")
        );
        assert_eq!(run(&mut guest, "rm /x/y/f && rmdir /x/y").exit_code, 0);
        assert!(!guest.has_directory("/x/y"));
        assert_eq!(run(&mut guest, "ln -s /etc/hostname /x/link").exit_code, 0);
        assert_eq!(
            run(&mut guest, "ln -s /etc/hostname /nodir/link").exit_code,
            1
        );
        assert_eq!(run(&mut guest, "ln /missing /x/hard").exit_code, 1);
    }
}
