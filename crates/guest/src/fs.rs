//! One view of the guest's file tree (files, directories, modes and owners) with its size limits.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use super::paths::{ancestors_and_self, parent_of, rebase, subtree_prefix};
use super::{MAX_DIRS, MAX_DISK_BYTES, MAX_FILES, MAX_FILE_BYTES, MAX_PATH_BYTES};

/// Why a file operation failed; `describe` gives the message tools print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    AlreadyExists,
    NoSpace,
    NameTooLong,
}

impl FsError {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotADirectory => "Not a directory",
            FsError::IsADirectory => "Is a directory",
            FsError::AlreadyExists => "File exists",
            FsError::NoSpace => "No space left on device",
            FsError::NameTooLong => "File name too long",
        }
    }
}

/// Mode and ownership; stored only where they differ from the defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Meta {
    pub(crate) mode: u32,
    pub(crate) owner: String,
    pub(crate) group: String,
}

impl Meta {
    pub(crate) fn default_for(is_dir: bool) -> Meta {
        Meta {
            mode: if is_dir { 0o755 } else { 0o644 },
            owner: "root".into(),
            group: "root".into(),
        }
    }
}

/// One view of the guest's file tree. `used_bytes` is kept in step with the maps so that limit
/// checks stay cheap.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct FileSystem {
    pub(crate) files: BTreeMap<String, String>,
    pub(crate) dirs: BTreeSet<String>,
    meta: BTreeMap<String, Meta>,
    used_bytes: usize,
}

/// Keys of `map` that start with `prefix`, in order: a range scan, not a pass over the map.
fn keys_under<'a, V>(
    map: &'a BTreeMap<String, V>,
    prefix: &'a str,
) -> impl Iterator<Item = &'a String> {
    map.range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .map(|(k, _)| k)
        .take_while(move |k| k.starts_with(prefix))
}

/// Entries of `set` that start with `prefix`, in order.
fn set_under<'a>(set: &'a BTreeSet<String>, prefix: &'a str) -> impl Iterator<Item = &'a String> {
    set.range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(move |k| k.starts_with(prefix))
}

impl FileSystem {
    pub(crate) fn with_root() -> FileSystem {
        let mut fs = FileSystem::default();
        fs.dirs.insert("/".to_string());
        fs.used_bytes = 1;
        fs
    }

    pub(crate) fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path)
    }

    pub(crate) fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub(crate) fn exists(&self, path: &str) -> bool {
        self.is_dir(path) || self.is_file(path)
    }

    pub(crate) fn read(&self, path: &str) -> Result<&str, FsError> {
        if let Some(content) = self.files.get(path) {
            return Ok(content);
        }
        if self.is_dir(path) {
            Err(FsError::IsADirectory)
        } else {
            Err(self.unreachable_reason(path))
        }
    }

    /// Why a missing `path` cannot be used: a missing component, or a file used as a directory.
    fn unreachable_reason(&self, path: &str) -> FsError {
        let mut current = parent_of(path);
        loop {
            if self.is_file(current) {
                return FsError::NotADirectory;
            }
            if self.is_dir(current) || current == "/" {
                return FsError::NotFound;
            }
            current = parent_of(current);
        }
    }

    /// Why `path`, which is not a directory, cannot be used as one: a file is there, or nothing.
    pub(crate) fn not_a_dir_error(&self, path: &str) -> FsError {
        if self.is_file(path) {
            FsError::NotADirectory
        } else {
            FsError::NotFound
        }
    }

    pub(crate) fn check_parent(&self, path: &str) -> Result<(), FsError> {
        if path.len() > MAX_PATH_BYTES {
            return Err(FsError::NameTooLong);
        }
        if self.is_dir(parent_of(path)) {
            Ok(())
        } else {
            Err(self.unreachable_reason(path))
        }
    }

    pub(crate) fn write(&mut self, path: &str, content: String) -> Result<(), FsError> {
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        self.check_parent(path)?;
        if content.len() > MAX_FILE_BYTES {
            return Err(FsError::NoSpace);
        }
        let old_cost = self.files.get(path).map(|c| c.len() + path.len());
        if old_cost.is_none() && self.files.len() >= MAX_FILES {
            return Err(FsError::NoSpace);
        }
        let used = self.used_bytes - old_cost.unwrap_or(0) + content.len() + path.len();
        if used > MAX_DISK_BYTES {
            return Err(FsError::NoSpace);
        }
        self.used_bytes = used;
        self.files.insert(path.to_string(), content);
        Ok(())
    }

    pub(crate) fn append(&mut self, path: &str, extra: &str) -> Result<(), FsError> {
        let existing = match self.read(path) {
            Ok(content) => content,
            Err(FsError::NotFound) => "",
            Err(e) => return Err(e),
        };
        // Checked before building the string so a huge append never allocates.
        if existing.len() + extra.len() > MAX_FILE_BYTES {
            return Err(FsError::NoSpace);
        }
        let combined = format!("{existing}{extra}");
        self.write(path, combined)
    }

    pub(crate) fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        if self.exists(path) {
            return Err(FsError::AlreadyExists);
        }
        self.check_parent(path)?;
        if self.dirs.len() >= MAX_DIRS || self.used_bytes + path.len() > MAX_DISK_BYTES {
            return Err(FsError::NoSpace);
        }
        self.used_bytes += path.len();
        self.dirs.insert(path.to_string());
        Ok(())
    }

    pub(crate) fn mkdir_all(&mut self, path: &str) -> Result<(), FsError> {
        if path.len() > MAX_PATH_BYTES {
            return Err(FsError::NameTooLong);
        }
        for ancestor in ancestors_and_self(path) {
            if self.is_file(&ancestor) {
                return Err(if ancestor == path {
                    FsError::AlreadyExists
                } else {
                    FsError::NotADirectory
                });
            }
            if !self.is_dir(&ancestor) {
                self.mkdir(&ancestor)?;
            }
        }
        Ok(())
    }

    pub(crate) fn remove_file(&mut self, path: &str) -> bool {
        match self.files.remove(path) {
            Some(content) => {
                self.used_bytes -= content.len() + path.len();
                self.meta.remove(path);
                true
            }
            None => false,
        }
    }

    pub(crate) fn remove_dir_entry(&mut self, path: &str) {
        if path != "/" && self.dirs.remove(path) {
            self.used_bytes -= path.len();
            self.meta.remove(path);
        }
    }

    /// Files and directories strictly below `path`, in sorted order.
    pub(crate) fn subtree(&self, path: &str) -> (Vec<String>, Vec<String>) {
        let prefix = subtree_prefix(path);
        let files = keys_under(&self.files, &prefix).cloned().collect();
        let dirs = set_under(&self.dirs, &prefix)
            .filter(|d| d.as_str() != path)
            .cloned()
            .collect();
        (files, dirs)
    }

    pub(crate) fn clear_contents(&mut self, path: &str) {
        let (files, dirs) = self.subtree(path);
        for file in files {
            self.remove_file(&file);
        }
        for dir in dirs {
            self.remove_dir_entry(&dir);
        }
    }

    pub(crate) fn remove_tree(&mut self, path: &str) {
        self.clear_contents(path);
        self.remove_dir_entry(path);
    }

    /// Direct children of `dir`: name → is a directory, sorted by name.
    pub(crate) fn children(&self, dir: &str) -> BTreeMap<String, bool> {
        let prefix = subtree_prefix(dir);
        let direct = |k: &String| {
            let rest = &k[prefix.len()..];
            !rest.is_empty() && !rest.contains('/')
        };
        let mut out = BTreeMap::new();
        for dir_path in set_under(&self.dirs, &prefix).filter(|k| direct(k)) {
            out.insert(dir_path[prefix.len()..].to_string(), true);
        }
        for file_path in keys_under(&self.files, &prefix).filter(|k| direct(k)) {
            out.insert(file_path[prefix.len()..].to_string(), false);
        }
        out
    }

    pub(crate) fn meta_of(&self, path: &str) -> Meta {
        self.meta
            .get(path)
            .cloned()
            .unwrap_or_else(|| Meta::default_for(self.is_dir(path)))
    }

    pub(crate) fn set_meta(&mut self, path: &str, meta: Meta) {
        if meta == Meta::default_for(self.is_dir(path)) {
            self.meta.remove(path);
        } else {
            self.meta.insert(path.to_string(), meta);
        }
    }

    /// Copies a directory tree, merging into directories that exist; like `cp -r`, it stops at
    /// the first error and leaves what it already copied.
    pub(crate) fn copy_tree(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let (files, dirs) = self.subtree(from);
        for dir in std::iter::once(from.to_string()).chain(dirs) {
            let target = rebase(&dir, from, to);
            if !self.is_dir(&target) {
                self.mkdir(&target)?;
            }
        }
        for file in files {
            let content = self.files.get(&file).cloned().unwrap_or_default();
            self.write(&rebase(&file, from, to), content)?;
        }
        Ok(())
    }

    /// Renames a file or directory tree in one step, like rename(2): all or nothing.
    pub(crate) fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        self.check_parent(to)?;
        if self.exists(to) {
            return Err(FsError::AlreadyExists);
        }
        if let Some(content) = self.files.get(from).cloned() {
            let meta = self.meta.get(from).cloned();
            self.remove_file(from);
            if let Err(e) = self.write(to, content.clone()) {
                self.write(from, content)
                    .expect("restoring a file that was just removed fits");
                if let Some(meta) = meta {
                    self.meta.insert(from.to_string(), meta);
                }
                return Err(e);
            }
            if let Some(meta) = meta {
                self.meta.insert(to.to_string(), meta);
            }
            return Ok(());
        }
        if !self.is_dir(from) {
            return Err(self.unreachable_reason(from));
        }
        let (files, dirs) = self.subtree(from);
        let entries = files.len() + dirs.len() + 1;
        let longest = files
            .iter()
            .chain(&dirs)
            .map(|p| rebase(p, from, to).len())
            .max()
            .unwrap_or(0);
        if longest.max(to.len()) > MAX_PATH_BYTES {
            return Err(FsError::NameTooLong);
        }
        let grown = entries * to.len();
        let shrunk = entries * from.len();
        if self.used_bytes + grown > MAX_DISK_BYTES + shrunk {
            return Err(FsError::NoSpace);
        }
        self.used_bytes = self.used_bytes + grown - shrunk;
        for dir in std::iter::once(from.to_string()).chain(dirs) {
            self.dirs.remove(&dir);
            self.dirs.insert(rebase(&dir, from, to));
        }
        for file in files {
            if let Some(content) = self.files.remove(&file) {
                self.files.insert(rebase(&file, from, to), content);
            }
        }
        let moved_meta: Vec<String> = self
            .meta
            .keys()
            .filter(|k| k.as_str() == from || k.starts_with(&subtree_prefix(from)))
            .cloned()
            .collect();
        for key in moved_meta {
            if let Some(meta) = self.meta.remove(&key) {
                self.meta.insert(rebase(&key, from, to), meta);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn file_size_and_disk_limits() {
        let mut guest = al2023();
        let chunk = "y".repeat(60_000);
        let result = run(
            &mut guest,
            &format!("echo {chunk} > /opt/big\necho {chunk} >> /opt/big"),
        );
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("No space left on device"));
        assert_eq!(guest.file("/opt/big").map(|c| c.len()), Some(60_001));
        let fill: Vec<String> = (0..20)
            .map(|i| format!("echo {chunk} > /opt/f{i}"))
            .collect();
        let result = guest.run_script(&fill);
        assert_eq!(result.exit_code, 1);
        let used: usize = guest
            .files()
            .iter()
            .filter_map(|f| guest.file(f))
            .map(|c| c.len())
            .sum();
        assert!(used <= MAX_DISK_BYTES);
    }

    #[test]
    fn file_count_limit() {
        let mut fs = FileSystem::with_root();
        for i in 0..MAX_FILES {
            fs.write(&format!("/{i}"), String::new()).unwrap();
        }
        assert_eq!(fs.write("/one-more", String::new()), Err(FsError::NoSpace));
        assert_eq!(
            fs.write("/0", "rewrite".into()),
            Ok(()),
            "existing files can still change"
        );
    }
}
