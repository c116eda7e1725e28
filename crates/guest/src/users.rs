//! The guest's accounts and groups: the tables behind `/etc/passwd` and `/etc/group`, and the id
//! rules of `useradd`.

use std::collections::BTreeSet;

use super::fs::{FsError, Meta};
use super::{Guest, MAX_ACCOUNTS};

/// One line of `/etc/passwd` (the account name is the table key), plus the lock state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Account {
    pub(crate) uid: u32,
    /// Name of the primary group.
    pub(crate) group: String,
    pub(crate) home: String,
    pub(crate) shell: String,
    /// Supplementary groups.
    pub(crate) groups: BTreeSet<String>,
    pub(crate) locked: bool,
}

/// A `useradd`/`adduser` request.
#[derive(Debug, Default)]
pub(crate) struct NewAccount {
    pub(crate) name: String,
    pub(crate) uid: Option<u32>,
    pub(crate) primary: Option<String>,
    pub(crate) supplementary: Vec<String>,
    pub(crate) home: Option<String>,
    pub(crate) shell: Option<String>,
    pub(crate) create_home: bool,
    pub(crate) system: bool,
}

/// Why an account cannot be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AccountError {
    Exists,
    GroupMissing(String),
    /// A group named like the new user exists already (useradd wants `-g`).
    GroupExists,
    UidTaken(u32),
    TooMany,
}

impl Guest {
    /// Account names, sorted, system accounts included.
    pub fn users(&self) -> Vec<String> {
        self.users.keys().cloned().collect()
    }

    /// Whether an account of this name exists, system accounts included.
    pub fn has_user(&self, name: &str) -> bool {
        self.users.contains_key(name)
    }

    /// A user's uid.
    pub fn uid_of(&self, user: &str) -> Option<u32> {
        self.users.get(user).map(|a| a.uid)
    }

    /// A user's groups: the primary group first, then the supplementary ones sorted.
    pub fn groups_of(&self, user: &str) -> Option<Vec<String>> {
        let account = self.users.get(user)?;
        let mut out = vec![account.group.clone()];
        out.extend(
            account
                .groups
                .iter()
                .filter(|g| **g != account.group)
                .cloned(),
        );
        Some(out)
    }

    pub(crate) fn add_group(&mut self, name: &str, gid: u32) {
        self.groups.insert(name.to_string(), gid);
    }

    pub(crate) fn add_account(
        &mut self,
        name: &str,
        uid: u32,
        group: &str,
        home: &str,
        shell: &str,
    ) {
        let account = Account {
            uid,
            group: group.to_string(),
            home: home.to_string(),
            shell: shell.to_string(),
            groups: BTreeSet::new(),
            locked: false,
        };
        self.users.insert(name.to_string(), account);
    }

    fn uid_in_use(&self, uid: u32) -> bool {
        self.users.values().any(|a| a.uid == uid)
    }

    pub(crate) fn gid_in_use(&self, gid: u32) -> bool {
        self.groups.values().any(|g| *g == gid)
    }

    fn next_regular_uid(&self) -> u32 {
        next_regular_id(self.users.values().map(|a| a.uid))
    }

    pub(crate) fn next_regular_gid(&self) -> u32 {
        next_regular_id(self.groups.values().copied())
    }

    /// The gid of an account's primary group; its uid when that group is gone.
    pub(crate) fn primary_gid(&self, account: &Account) -> u32 {
        self.groups
            .get(&account.group)
            .copied()
            .unwrap_or(account.uid)
    }

    /// System ids are handed out downwards from 999, like useradd -r does.
    pub(crate) fn next_system_id(&self) -> u32 {
        (100..1000)
            .rev()
            .find(|id| !self.uid_in_use(*id) && !self.gid_in_use(*id))
            .unwrap_or(999)
    }

    pub(crate) fn ensure_system_group(&mut self, name: &str) {
        if !self.groups.contains_key(name) {
            let gid = self.next_system_id();
            self.add_group(name, gid);
        }
    }

    pub(crate) fn ensure_system_account(&mut self, name: &str) {
        if self.users.contains_key(name) {
            return;
        }
        let id = self.next_system_id();
        if !self.groups.contains_key(name) {
            self.add_group(name, id);
        }
        self.add_account(
            name,
            id,
            name,
            &format!("/var/lib/{name}"),
            self.os.nologin(),
        );
    }

    /// Creates an account. The home directory is created when asked; failing that (no space)
    /// the account still exists, as with useradd, and the error is returned in `Ok`.
    pub(crate) fn create_account(
        &mut self,
        req: &NewAccount,
    ) -> Result<Option<FsError>, AccountError> {
        if self.users.contains_key(&req.name) {
            return Err(AccountError::Exists);
        }
        if self.users.len() >= MAX_ACCOUNTS || self.groups.len() >= MAX_ACCOUNTS {
            return Err(AccountError::TooMany);
        }
        match &req.primary {
            Some(group) if !self.groups.contains_key(group) => {
                return Err(AccountError::GroupMissing(group.clone()))
            }
            None if self.groups.contains_key(&req.name) => return Err(AccountError::GroupExists),
            _ => {}
        }
        if let Some(missing) = req
            .supplementary
            .iter()
            .find(|g| !self.groups.contains_key(*g))
        {
            return Err(AccountError::GroupMissing(missing.clone()));
        }
        let uid = match req.uid {
            Some(uid) if self.uid_in_use(uid) => return Err(AccountError::UidTaken(uid)),
            Some(uid) => uid,
            None if req.system => self.next_system_id(),
            None => self.next_regular_uid(),
        };
        let group = match &req.primary {
            Some(group) => group.clone(),
            None => {
                let gid = if !self.gid_in_use(uid) {
                    uid
                } else if req.system {
                    self.next_system_id()
                } else {
                    self.next_regular_gid()
                };
                self.add_group(&req.name, gid);
                req.name.clone()
            }
        };
        let home = req
            .home
            .clone()
            .unwrap_or_else(|| format!("/home/{}", req.name));
        let default_shell = if self.os.is_debian() {
            "/bin/sh"
        } else {
            "/bin/bash"
        };
        let shell = req
            .shell
            .clone()
            .unwrap_or_else(|| default_shell.to_string());
        self.add_account(&req.name, uid, &group, &home, &shell);
        if let Some(account) = self.users.get_mut(&req.name) {
            account.groups = req.supplementary.iter().cloned().collect();
        }
        if !req.create_home || self.live.exists(&home) {
            return Ok(None);
        }
        match self.live.mkdir_all(&home) {
            Ok(()) => {
                let meta = Meta {
                    mode: 0o700,
                    owner: req.name.clone(),
                    group,
                };
                self.live.set_meta(&home, meta);
                Ok(None)
            }
            Err(e) => Ok(Some(e)),
        }
    }

    /// Deletes an account and its private group; `remove_home` also deletes the home directory.
    pub(crate) fn delete_account(&mut self, name: &str, remove_home: bool) -> bool {
        let Some(account) = self.users.remove(name) else {
            return false;
        };
        let group_still_used = self.users.values().any(|a| a.group == account.group);
        if account.group == name && !group_still_used {
            self.groups.remove(name);
        }
        if remove_home && self.live.is_dir(&account.home) {
            self.live.remove_tree(&account.home);
        }
        true
    }

    /// `/etc/passwd` and `/etc/group`, rendered from the account tables for commands that read
    /// them (`cat`, `grep`); they are views, not stored files.
    pub(crate) fn account_file(&self, path: &str) -> Option<String> {
        if self.os.is_windows() {
            return None;
        }
        let mut out = String::new();
        match path {
            "/etc/passwd" => {
                let mut accounts: Vec<(&String, &Account)> = self.users.iter().collect();
                accounts.sort_by_key(|(name, account)| (account.uid, name.as_str()));
                for (name, account) in accounts {
                    let gid = self.primary_gid(account);
                    out.push_str(&format!(
                        "{name}:x:{}:{gid}::{}:{}\n",
                        account.uid, account.home, account.shell
                    ));
                }
            }
            "/etc/group" => {
                let mut groups: Vec<(&String, &u32)> = self.groups.iter().collect();
                groups.sort_by_key(|(name, gid)| (**gid, name.as_str()));
                for (group, gid) in groups {
                    let members: Vec<&str> = self
                        .users
                        .iter()
                        .filter(|(_, a)| a.groups.contains(group))
                        .map(|(n, _)| n.as_str())
                        .collect();
                    out.push_str(&format!("{group}:x:{gid}:{}\n", members.join(",")));
                }
            }
            _ => return None,
        }
        Some(out)
    }

    /// `uid=1001(deploy) gid=1001(deploy) groups=1001(deploy),10(wheel)`
    pub(crate) fn id_line(&self, name: &str) -> Option<String> {
        let account = self.users.get(name)?;
        let gid = self.primary_gid(account);
        let mut groups = vec![(gid, account.group.clone())];
        let mut extra: Vec<(u32, String)> = account
            .groups
            .iter()
            .filter(|g| **g != account.group)
            .filter_map(|g| self.groups.get(g).map(|gid| (*gid, g.clone())))
            .collect();
        extra.sort();
        groups.extend(extra);
        let listed: Vec<String> = groups
            .iter()
            .map(|(gid, g)| format!("{gid}({g})"))
            .collect();
        Some(format!(
            "uid={}({name}) gid={gid}({}) groups={}",
            account.uid,
            account.group,
            listed.join(",")
        ))
    }
}

/// Regular ids (users' uids, groups' gids) are handed out upwards from 1000: one past the highest
/// in use below 60000.
fn next_regular_id(used: impl Iterator<Item = u32>) -> u32 {
    used.filter(|id| (1000..60000).contains(id))
        .max()
        .map_or(1000, |max| max + 1)
}
