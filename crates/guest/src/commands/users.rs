//! Account tools: `useradd`, `adduser`, `userdel`, `usermod`, `groupadd`, `groupdel`, `passwd`,
//! `chpasswd`.

use super::super::shell::{Outcome, Shell};
use super::super::users::{AccountError, NewAccount};
use super::super::MAX_ACCOUNTS;
use super::args::Flags;

fn valid_account_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_lowercase());
    let body = name.trim_end_matches('$');
    first_ok
        && name.len() <= 32
        && body.chars().all(|c| {
            c == '_' || c == '-' || c == '.' || c.is_ascii_lowercase() || c.is_ascii_digit()
        })
}

/// How `tool` reports a refused account: exit status and message, as shadow-utils prints them.
fn account_error(tool: &str, name: &str, error: &AccountError) -> Outcome {
    let (status, message) = match error {
        AccountError::Exists => (9, format!("{tool}: user '{name}' already exists")),
        AccountError::GroupMissing(group) => (6, format!("{tool}: group '{group}' does not exist")),
        AccountError::GroupExists => (
            9,
            format!(
                "{tool}: group {name} exists - if you want to add this user to that group, use -g."
            ),
        ),
        AccountError::UidTaken(uid) => (4, format!("{tool}: UID {uid} is not unique")),
        AccountError::TooMany => (
            1,
            format!("{tool}: cannot add user '{name}': too many accounts (simulator limit)"),
        ),
    };
    Outcome::fail(status, &message)
}

impl Shell<'_> {
    pub(crate) fn cmd_useradd(&mut self, tool: &str, args: &[String]) -> Outcome {
        let mut request = NewAccount {
            create_home: !self.os().is_debian(),
            ..NewAccount::default()
        };
        let mut names = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            let takes_value = matches!(
                arg,
                "-s" | "--shell"
                    | "-G"
                    | "--groups"
                    | "-g"
                    | "--gid"
                    | "-d"
                    | "--home-dir"
                    | "--home"
                    | "-u"
                    | "--uid"
                    | "-c"
                    | "--comment"
                    | "-p"
                    | "--password"
                    | "-e"
                    | "--expiredate"
                    | "-k"
                    | "--skel"
                    | "-f"
                    | "--inactive"
                    | "-K"
                    | "--key"
            );
            if takes_value {
                let Some(value) = args.get(index + 1).cloned() else {
                    return Outcome::fail(
                        2,
                        &format!(
                            "{tool}: option requires an argument -- '{}'",
                            arg.trim_start_matches('-')
                        ),
                    );
                };
                match arg {
                    "-s" | "--shell" => request.shell = Some(value),
                    "-G" | "--groups" => {
                        request.supplementary = value
                            .split(',')
                            .filter(|g| !g.is_empty())
                            .map(str::to_string)
                            .collect()
                    }
                    "-g" | "--gid" => request.primary = Some(value),
                    "-d" | "--home-dir" | "--home" => request.home = Some(value),
                    "-u" | "--uid" => match value.parse() {
                        Ok(uid) => request.uid = Some(uid),
                        Err(_) => {
                            return Outcome::fail(3, &format!("{tool}: invalid user ID '{value}'"))
                        }
                    },
                    _ => {}
                }
                index += 2;
                continue;
            }
            match arg {
                "-m" | "--create-home" => request.create_home = true,
                "-M" | "--no-create-home" => request.create_home = false,
                "-r" | "--system" => {
                    request.system = true;
                    request.create_home = false;
                }
                "-U" | "-N" | "-o" | "-l" | "--user-group" | "--no-user-group" | "--non-unique"
                | "--no-log-init" => {}
                flag if flag.starts_with('-') && flag.len() > 1 => {
                    for c in flag.chars().skip(1) {
                        match c {
                            'm' => request.create_home = true,
                            'M' => request.create_home = false,
                            'r' => request.system = true,
                            'U' | 'N' | 'o' | 'l' => {}
                            other => {
                                return Outcome::fail(
                                    2,
                                    &format!("{tool}: invalid option -- '{other}'"),
                                )
                            }
                        }
                    }
                }
                name => names.push(name.to_string()),
            }
            index += 1;
        }
        let [name] = names.as_slice() else {
            return Outcome::fail(2, &format!("Usage: {tool} [options] LOGIN"));
        };
        if !valid_account_name(name) {
            return Outcome::fail(3, &format!("{tool}: invalid user name '{name}'"));
        }
        request.name = name.clone();
        match self.guest.create_account(&request) {
            Ok(None) => Outcome::success(),
            Ok(Some(e)) => {
                let home = request
                    .home
                    .clone()
                    .unwrap_or_else(|| format!("/home/{name}"));
                Outcome::fail(
                    12,
                    &format!("{tool}: cannot create directory {home}: {}", e.describe()),
                )
            }
            Err(error) => account_error(tool, name, &error),
        }
    }

    /// Debian's `adduser`: `adduser NAME` creates an account with a home directory;
    /// `adduser NAME GROUP` adds an existing user to a group.
    pub(crate) fn cmd_adduser(&mut self, args: &[String]) -> Outcome {
        let mut request = NewAccount {
            create_home: true,
            shell: Some("/bin/bash".into()),
            ..NewAccount::default()
        };
        let mut positional = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            match arg {
                "--gecos" | "--comment" | "--uid" | "--gid" | "--shell" | "--home"
                | "--ingroup" | "--firstuid" | "--lastuid" => {
                    let value = args.get(index + 1).cloned().unwrap_or_default();
                    match arg {
                        "--shell" => request.shell = Some(value),
                        "--home" => request.home = Some(value),
                        "--ingroup" => request.primary = Some(value),
                        "--uid" => request.uid = value.parse().ok(),
                        _ => {}
                    }
                    index += 2;
                    continue;
                }
                "--system" => request.system = true,
                "--no-create-home" => request.create_home = false,
                flag if flag.starts_with('-') => {}
                name => positional.push(name.to_string()),
            }
            index += 1;
        }
        match positional.as_slice() {
            [user, group] => {
                if !self.guest.users.contains_key(user) {
                    return Outcome::fail(1, &format!("fatal: The user `{user}' does not exist."));
                }
                if !self.guest.groups.contains_key(group) {
                    return Outcome::fail(
                        1,
                        &format!("fatal: The group `{group}' does not exist."),
                    );
                }
                if let Some(account) = self.guest.users.get_mut(user) {
                    account.groups.insert(group.clone());
                }
                Outcome::print(format!(
                    "info: Adding user `{user}' to group `{group}' ...\n"
                ))
            }
            [name] => {
                if !valid_account_name(name) {
                    return Outcome::fail(1, "fatal: Please enter a username matching the regular expression\nconfigured via the NAME_REGEX configuration variable.  Use the `--allow-bad-names'\noption to relax this check or reconfigure NAME_REGEX.");
                }
                request.name = name.clone();
                match self.guest.create_account(&request) {
                    Ok(_) => {
                        let account = self.guest.users.get(name);
                        let uid = account.map_or(0, |a| a.uid);
                        let gid = account.map_or(0, |a| self.guest.primary_gid(a));
                        let group = account.map(|a| a.group.clone()).unwrap_or_default();
                        let home = account.map(|a| a.home.clone()).unwrap_or_default();
                        let mut outcome = Outcome::success();
                        outcome.say(&format!("info: Adding user `{name}' ..."));
                        outcome.say("info: Selecting UID/GID from range 1000 to 59999 ...");
                        outcome.say(&format!("info: Adding new group `{group}' ({gid}) ..."));
                        outcome.say(&format!("info: Adding new user `{name}' ({uid}) with group `{group} ({gid})' ..."));
                        outcome.say(&format!("info: Creating home directory `{home}' ..."));
                        outcome.say("info: Copying files from `/etc/skel' ...");
                        outcome
                    }
                    Err(AccountError::Exists) => {
                        Outcome::fail(1, &format!("fatal: The user `{name}' already exists."))
                    }
                    Err(error) => account_error("adduser", name, &error),
                }
            }
            _ => Outcome::fail(1, "fatal: Only one or two names allowed."),
        }
    }

    pub(crate) fn cmd_userdel(&mut self, tool: &str, args: &[String]) -> Outcome {
        let remove_home = args
            .iter()
            .any(|a| a == "-r" || a == "--remove" || a == "--remove-home" || a == "-rf");
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let [name] = names.as_slice() else {
            return Outcome::fail(2, &format!("Usage: {tool} [options] LOGIN"));
        };
        if name.as_str() == "root" {
            return Outcome::fail(
                8,
                &format!("{tool}: user root is currently used by process 1"),
            );
        }
        if self.guest.delete_account(name, remove_home) {
            Outcome::success()
        } else if tool == "deluser" {
            Outcome::fail(2, &format!("fatal: The user `{name}' does not exist."))
        } else {
            Outcome::fail(6, &format!("{tool}: user '{name}' does not exist"))
        }
    }

    pub(crate) fn cmd_usermod(&mut self, args: &[String]) -> Outcome {
        let mut append = false;
        let mut groups: Option<Vec<String>> = None;
        let mut shell = None;
        let mut home = None;
        let mut primary = None;
        let mut lock = None;
        let mut names = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            let value = args.get(index + 1).cloned();
            match arg {
                "-aG" | "-Ga" => {
                    append = true;
                    groups = value.map(|v| v.split(',').map(str::to_string).collect());
                    index += 1;
                }
                "-G" | "--groups" => {
                    groups = value.map(|v| v.split(',').map(str::to_string).collect());
                    index += 1;
                }
                "-a" | "--append" => append = true,
                "-s" | "--shell" => {
                    shell = value;
                    index += 1;
                }
                "-d" | "--home" => {
                    home = value;
                    index += 1;
                }
                "-g" | "--gid" => {
                    primary = value;
                    index += 1;
                }
                "-L" | "--lock" => lock = Some(true),
                "-U" | "--unlock" => lock = Some(false),
                "-c" | "--comment" | "-e" | "-f" | "-l" | "-u" | "-p" => index += 1,
                flag if flag.starts_with('-') => {}
                name => names.push(name.to_string()),
            }
            index += 1;
        }
        let [name] = names.as_slice() else {
            return Outcome::fail(2, "Usage: usermod [options] LOGIN");
        };
        if !self.guest.users.contains_key(name) {
            return Outcome::fail(6, &format!("usermod: user '{name}' does not exist"));
        }
        let wanted = groups.iter().flatten().chain(primary.iter());
        if let Some(missing) = wanted
            .into_iter()
            .find(|g| !self.guest.groups.contains_key(*g))
        {
            return Outcome::fail(6, &format!("usermod: group '{missing}' does not exist"));
        }
        if let Some(account) = self.guest.users.get_mut(name) {
            if let Some(groups) = groups {
                if !append {
                    account.groups.clear();
                }
                account.groups.extend(groups);
            }
            if let Some(shell) = shell {
                account.shell = shell;
            }
            if let Some(home) = home {
                account.home = home;
            }
            if let Some(primary) = primary {
                account.group = primary;
            }
            if let Some(lock) = lock {
                account.locked = lock;
            }
        }
        Outcome::success()
    }

    pub(crate) fn cmd_groupadd(&mut self, args: &[String]) -> Outcome {
        let force = args.iter().any(|a| a == "-f" || a == "--force");
        let system = args.iter().any(|a| a == "-r" || a == "--system");
        let mut gid = None;
        let mut names = Vec::new();
        let mut index = 0;
        while index < args.len() {
            match args[index].as_str() {
                "-g" | "--gid" => {
                    gid = args.get(index + 1).and_then(|v| v.parse::<u32>().ok());
                    index += 1;
                }
                flag if flag.starts_with('-') => {}
                name => names.push(name.to_string()),
            }
            index += 1;
        }
        let [name] = names.as_slice() else {
            return Outcome::fail(2, "Usage: groupadd [options] GROUP");
        };
        if !valid_account_name(name) {
            return Outcome::fail(3, &format!("groupadd: '{name}' is not a valid group name"));
        }
        if self.guest.groups.contains_key(name) {
            return if force {
                Outcome::success()
            } else {
                Outcome::fail(9, &format!("groupadd: group '{name}' already exists"))
            };
        }
        if self.guest.groups.len() >= MAX_ACCOUNTS {
            return Outcome::fail(1, "groupadd: too many groups (simulator limit)");
        }
        let gid = match gid {
            Some(gid) if self.guest.gid_in_use(gid) => {
                return Outcome::fail(4, &format!("groupadd: GID '{gid}' already exists"))
            }
            Some(gid) => gid,
            None if system => self.guest.next_system_id(),
            None => self.guest.next_regular_gid(),
        };
        self.guest.add_group(name, gid);
        Outcome::success()
    }

    pub(crate) fn cmd_groupdel(&mut self, args: &[String]) -> Outcome {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            return Outcome::fail(2, "Usage: groupdel [options] GROUP");
        };
        if !self.guest.groups.contains_key(name) {
            return Outcome::fail(6, &format!("groupdel: group '{name}' does not exist"));
        }
        if let Some((user, _)) = self.guest.users.iter().find(|(_, a)| &a.group == name) {
            return Outcome::fail(
                8,
                &format!("groupdel: cannot remove the primary group of user '{user}'"),
            );
        }
        self.guest.groups.remove(name);
        for account in self.guest.users.values_mut() {
            account.groups.remove(name);
        }
        Outcome::success()
    }

    pub(crate) fn cmd_passwd(&mut self, args: &[String], stdin: &str) -> Outcome {
        let flags = Flags::parse(args);
        let name = flags
            .operands
            .first()
            .cloned()
            .unwrap_or_else(|| "root".to_string());
        if !self.guest.users.contains_key(&name) {
            return Outcome::fail(1, &format!("passwd: user '{name}' does not exist"));
        }
        let debian = self.os().is_debian();
        if flags.any('l', "lock") || flags.any('u', "unlock") {
            let lock = flags.any('l', "lock");
            if let Some(account) = self.guest.users.get_mut(&name) {
                account.locked = lock;
            }
            return if debian {
                Outcome::print("passwd: password changed.\n")
            } else {
                let verb = if lock { "Locking" } else { "Unlocking" };
                Outcome::print(format!(
                    "{verb} password for user {name}.\npasswd: Success\n"
                ))
            };
        }
        if flags.any('d', "delete") || flags.any('e', "expire") {
            return Outcome::print(if debian {
                "passwd: password changed.\n"
            } else {
                "Expiring password for user.\npasswd: Success\n"
            });
        }
        if flags.long.contains("stdin") && !debian && !stdin.is_empty() {
            return Outcome::print(format!(
                "Changing password for user {name}.\npasswd: all authentication tokens updated successfully.\n"
            ));
        }
        // SSM gives the command no terminal, so an interactive prompt reads end-of-file.
        Outcome::fail(
            10,
            "passwd: Authentication token manipulation error\npasswd: password unchanged",
        )
    }

    pub(crate) fn cmd_chpasswd(&self, stdin: &str) -> Outcome {
        let mut outcome = Outcome::success();
        for (number, line) in stdin
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let user = line.split(':').next().unwrap_or("");
            if !line.contains(':') {
                outcome.error(
                    1,
                    &format!("chpasswd: line {}: missing new password", number + 1),
                );
            } else if !self.guest.users.contains_key(user) {
                outcome.error(
                    1,
                    &format!(
                        "chpasswd: line {}: user '{user}' does not exist",
                        number + 1
                    ),
                );
            }
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn useradd_assigns_uids_in_order_and_rejects_duplicates() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "useradd deploy\nuseradd -m -s /bin/bash app\nid deploy\nid app",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(
            result.stdout,
            "uid=1001(deploy) gid=1001(deploy) groups=1001(deploy)\nuid=1002(app) gid=1002(app) groups=1002(app)\n"
        );
        assert!(
            guest.has_directory("/home/deploy"),
            "RHEL-style useradd creates homes"
        );
        assert_eq!(
            guest.file_mode("/home/app").map(|(_, owner, _)| owner),
            Some("app".to_string())
        );
        let result = run(&mut guest, "useradd deploy");
        assert_eq!(result.exit_code, 9);
        assert_eq!(result.stderr, "useradd: user 'deploy' already exists\n");
    }

    #[test]
    fn userdel_and_id_errors() {
        let mut guest = al2023();
        let result = run(&mut guest, "userdel ghost");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (6, "userdel: user 'ghost' does not exist\n")
        );
        let result = run(&mut guest, "id ghost");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (1, "id: 'ghost': no such user\n")
        );
        run(&mut guest, "useradd deploy\nuserdel -r deploy");
        assert!(!guest.has_user("deploy"));
        assert!(!guest.has_directory("/home/deploy"));
        assert_eq!(
            run(&mut guest, "id").stdout,
            "uid=0(root) gid=0(root) groups=0(root)\n"
        );
    }

    #[test]
    fn groups_and_usermod() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "groupadd devs\nuseradd -G devs,wheel alice\nid -Gn alice",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "alice devs wheel\n");
        assert_eq!(run(&mut guest, "groupadd devs").exit_code, 9);
        let result = run(&mut guest, "usermod -aG nosuch alice");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (6, "usermod: group 'nosuch' does not exist\n")
        );
        assert_eq!(run(&mut guest, "usermod -aG devs ghost").exit_code, 6);
        assert_eq!(run(&mut guest, "useradd -G nosuch bob").exit_code, 6);
        assert_eq!(run(&mut guest, "passwd -l alice").exit_code, 0);
    }

    #[test]
    fn ubuntu_adduser_and_useradd_home_rules() {
        let mut guest = ubuntu();
        let result = run(&mut guest, "adduser --disabled-password --gecos '' deploy");
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_user("deploy") && guest.has_directory("/home/deploy"));
        assert_eq!(run(&mut guest, "adduser deploy").exit_code, 1);
        run(&mut guest, "useradd plain");
        assert!(
            guest.has_user("plain") && !guest.has_directory("/home/plain"),
            "Debian useradd needs -m"
        );
        assert_eq!(guest.uid_of("plain"), Some(1002));
    }
}
