//! `git`: clone and init create a repository skeleton; other verbs only check for one.

use super::super::fs::{FileSystem, FsError};
use super::super::paths::{child_path, parent_of};
use super::super::shell::{Outcome, Shell};

/// The repository name `git clone` derives from a URL.
pub(crate) fn repo_name(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() {
        "repo".to_string()
    } else {
        name.to_string()
    }
}

/// Creates `dir/.git` with `HEAD` on `main`, as `git init` and `git clone` do; returns the
/// `.git` path.
fn create_git_dir(live: &mut FileSystem, dir: &str) -> Result<String, FsError> {
    let git_dir = child_path(dir, ".git");
    live.mkdir_all(&git_dir)?;
    live.write(
        &child_path(&git_dir, "HEAD"),
        "ref: refs/heads/main\n".into(),
    )?;
    Ok(git_dir)
}

impl Shell<'_> {
    fn in_git_repo(&self) -> bool {
        let mut dir = self.cwd.clone();
        loop {
            if self.guest.live.is_dir(&child_path(&dir, ".git")) {
                return true;
            }
            if dir == "/" {
                return false;
            }
            dir = parent_of(&dir).to_string();
        }
    }

    pub(crate) fn cmd_git(&mut self, args: &[String]) -> Outcome {
        let Some((verb, rest)) = args.split_first() else {
            return Outcome::fail(
                1,
                "usage: git [--version] [--help] [-C <path>] <command> [<args>]",
            );
        };
        let version = self.guest.version_of("git", "2.40.1");
        let not_a_repo = || {
            Outcome::fail(
                128,
                "fatal: not a git repository (or any of the parent directories): .git",
            )
        };
        match verb.as_str() {
            "--version" | "version" => Outcome::print(format!("git version {version}\n")),
            "clone" => self.git_clone(rest),
            "init" => {
                let dir = rest
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| ".".to_string());
                let path = self.path(&dir);
                match create_git_dir(&mut self.guest.live, &path) {
                    Ok(git_dir) => {
                        Outcome::print(format!("Initialized empty Git repository in {git_dir}/\n"))
                    }
                    Err(e) => {
                        Outcome::fail(128, &format!("fatal: cannot mkdir {dir}: {}", e.describe()))
                    }
                }
            }
            "status" if self.in_git_repo() => {
                Outcome::print("On branch main\nnothing to commit, working tree clean\n")
            }
            "pull" | "fetch" if self.in_git_repo() => Outcome::print("Already up to date.\n"),
            "status" | "pull" | "fetch" | "log" | "commit" | "checkout" | "switch" | "branch"
            | "remote" | "add" | "push" | "reset" | "diff" => {
                if self.in_git_repo() {
                    Outcome::success()
                } else {
                    not_a_repo()
                }
            }
            "config" | "help" | "-C" => Outcome::success(),
            other => Outcome::fail(
                1,
                &format!("git: '{other}' is not a git command. See 'git --help'."),
            ),
        }
    }

    fn git_clone(&mut self, args: &[String]) -> Outcome {
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            if matches!(
                arg,
                "-b" | "--branch"
                    | "--depth"
                    | "-o"
                    | "--origin"
                    | "-c"
                    | "--config"
                    | "--reference"
            ) {
                index += 1;
            } else if !arg.starts_with('-') {
                operands.push(args[index].clone());
            }
            index += 1;
        }
        let Some(url) = operands.first() else {
            return Outcome::fail(129, "fatal: You must specify a repository to clone.");
        };
        let name = repo_name(url);
        let dir = operands.get(1).cloned().unwrap_or_else(|| name.clone());
        let path = self.path(&dir);
        let live = &mut self.guest.live;
        if live.is_file(&path) || (live.is_dir(&path) && !live.children(&path).is_empty()) {
            return Outcome::fail(
                128,
                &format!(
                    "fatal: destination path '{dir}' already exists and is not an empty directory."
                ),
            );
        }
        let created = create_git_dir(live, &path)
            .and_then(|git_dir| {
                live.write(
                    &child_path(&git_dir, "config"),
                    format!("[remote \"origin\"]\n\turl = {url}\n"),
                )
            })
            .and_then(|()| live.write(&child_path(&path, "README.md"), format!("# {name}\n")));
        let mut outcome = Outcome::success();
        outcome.warn(&format!("Cloning into '{dir}'..."));
        if let Err(e) = created {
            outcome.error(
                128,
                &format!(
                    "fatal: could not create work tree dir '{dir}': {}",
                    e.describe()
                ),
            );
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn git_clone_needs_git() {
        let mut guest = al2023();
        let result = run(&mut guest, "git clone https://github.com/example/app.git");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (127, "bash: git: command not found\n")
        );
        let result = run(&mut guest, "dnf install -y git\ncd /opt\ngit clone https://github.com/example/app.git\ngit clone git@github.com:example/site.git /srv/www");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stderr.contains("Cloning into 'app'..."));
        assert!(guest.file("/opt/app/README.md").is_some() && guest.has_directory("/opt/app/.git"));
        assert!(guest.has_directory("/srv/www/.git"));
        let result = run(
            &mut guest,
            "cd /opt && git clone https://github.com/example/app.git",
        );
        assert_eq!(result.exit_code, 128);
        assert!(result
            .stderr
            .contains("already exists and is not an empty directory"));
        assert_eq!(run(&mut guest, "cd /opt/app && git status").exit_code, 0);
        assert_eq!(run(&mut guest, "cd / && git status").exit_code, 128);
    }
}
