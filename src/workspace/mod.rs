//! A learner's workspace (`amilab init`): a folder with a README, the starter of every lab in
//! `labs/`, and `.amilab/progress.json`. Commands run anywhere inside it find it by walking up
//! to the folder that holds `.amilab/progress.json`, as git finds `.git`.

pub mod dashboard;
pub mod progress;

use std::path::{Path, PathBuf};

pub use progress::{ItemProgress, Progress, ProgressError, PROGRESS_VERSION};

/// The folder of a workspace's state, inside its root.
pub const STATE_DIR: &str = ".amilab";
/// The progress file, inside [`STATE_DIR`].
pub const PROGRESS_FILE: &str = "progress.json";
/// The lock file that serializes updates of the progress, inside [`STATE_DIR`].
pub const LOCK_FILE: &str = "progress.lock";
/// Where `amilab init` writes the labs' starters, inside the root.
pub const LABS_DIR: &str = "labs";

/// A workspace found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The folder that holds `.amilab/progress.json`.
    pub root: PathBuf,
}

/// What went wrong with a workspace's files: the message names the file and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WorkspaceError(pub String);

impl Workspace {
    /// The workspace `start` is in (`start` itself or a folder above it), if any.
    pub fn find(start: &Path) -> Option<Workspace> {
        start
            .ancestors()
            .find(|dir| dir.join(STATE_DIR).join(PROGRESS_FILE).is_file())
            .map(|root| Workspace {
                root: root.to_path_buf(),
            })
    }

    /// The workspace the current directory is in, if any.
    pub fn current() -> Option<Workspace> {
        Workspace::find(&std::env::current_dir().ok()?)
    }

    /// `.amilab/progress.json` of this workspace.
    pub fn progress_path(&self) -> PathBuf {
        self.root.join(STATE_DIR).join(PROGRESS_FILE)
    }

    /// Where the workspace keeps the script of lab `id` (`labs/ID.rhai`).
    pub fn lab_script(&self, id: &str) -> PathBuf {
        self.root.join(LABS_DIR).join(format!("{id}.rhai"))
    }

    /// The progress recorded so far. A file that cannot be read, is corrupt or was written by a
    /// newer amilab is an error that says so and what to do; it is never rewritten.
    pub fn load(&self) -> Result<Progress, WorkspaceError> {
        let path = self.progress_path();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            WorkspaceError(format!(
                "cannot read `{shown}`: {}",
                crate::diagnostic::io_reason(&e)
            ))
        })?;
        Progress::parse(&shown, &text).map_err(|e| {
            let help = match e {
                ProgressError::Newer { .. } => "upgrade amilab (`cargo install --path . --locked` in a newer checkout)",
                ProgressError::Invalid { .. } => "fix the file by hand (git can show what changed), or move it away and run `amilab init .` in the workspace to start a new record",
            };
            WorkspaceError(format!(
                "{e}\n  = note: the file was not changed\n  = help: {help}"
            ))
        })
    }

    /// Saves `progress` atomically.
    pub fn save(&self, progress: &Progress) -> Result<(), WorkspaceError> {
        let path = self.progress_path();
        crate::atomic_file::write(&path, &progress.to_json()).map_err(|e| {
            WorkspaceError(format!(
                "cannot save your progress to `{}`: {}",
                path.display(),
                crate::diagnostic::io_reason(&e)
            ))
        })
    }

    /// Loads the progress, changes it with `change` and saves it, holding an exclusive lock on
    /// `.amilab/progress.lock` throughout, so that two commands at once (a watch re-grading while
    /// a hint is revealed) never lose each other's change. Nothing is written when the file
    /// cannot be loaded.
    pub fn update(&self, change: impl FnOnce(&mut Progress)) -> Result<Progress, WorkspaceError> {
        let path = self.root.join(STATE_DIR).join(LOCK_FILE);
        let cannot_lock = |e: std::io::Error| {
            WorkspaceError(format!(
                "cannot lock `{}` to update your progress: {}",
                path.display(),
                crate::diagnostic::io_reason(&e)
            ))
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(cannot_lock)?;
        let mut lock = fd_lock::RwLock::new(file);
        let _held = lock.write().map_err(cannot_lock)?;
        let mut progress = self.load()?;
        change(&mut progress);
        self.save(&progress)?;
        Ok(progress)
    }
}

/// What `amilab init` did, file by file (paths relative to the workspace root).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Initialized {
    pub written: Vec<String>,
    /// Files that existed already and were left as they were.
    pub kept: Vec<String>,
}

/// The README written into a new workspace.
const README: &str = include_str!("workspace_readme.md");

/// What git should not keep of a workspace's state: the AWS CLI sandbox and the explore
/// history are scratch; the progress file is the learner's record and is kept.
const GITIGNORE: &str = "# amilab: scratch state (the progress file is worth keeping)\nsandbox.json\nexplore_history\nprogress.lock\n*.tmp\n";

/// Creates a workspace in `root` (created if missing) for `learner`. Existing files are never
/// overwritten: a starter already there may hold the learner's work. A folder that already is
/// a workspace is refused.
pub fn init(root: &Path, learner: Option<String>) -> Result<Initialized, WorkspaceError> {
    let workspace = Workspace {
        root: root.to_path_buf(),
    };
    if workspace.progress_path().exists() {
        return Err(WorkspaceError(format!(
            "`{}` is already an amilab workspace (it has `{STATE_DIR}/{PROGRESS_FILE}`); nothing was changed\n  = help: run `amilab` inside it to see your progress",
            root.display()
        )));
    }
    let mut files: Vec<(String, String)> = vec![("README.md".into(), README.to_string())];
    for lab in crate::lab::BUILTIN {
        let loaded = crate::lab::course::builtin(lab).map_err(|e| WorkspaceError(e.to_string()))?;
        let starter = loaded.read(&loaded.spec.starter).map_err(WorkspaceError)?;
        files.push((format!("{LABS_DIR}/{}.rhai", lab.id), starter));
    }
    files.push((format!("{STATE_DIR}/.gitignore"), GITIGNORE.to_string()));
    let mut done = Initialized::default();
    let cannot = |path: &Path, e: std::io::Error| {
        WorkspaceError(format!(
            "cannot write `{}`: {}",
            path.display(),
            crate::diagnostic::io_reason(&e)
        ))
    };
    for (rel, text) in files {
        let path = root.join(&rel);
        if path.exists() {
            done.kept.push(rel);
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
        }
        std::fs::write(&path, text).map_err(|e| cannot(&path, e))?;
        done.written.push(rel);
    }
    // The progress file last: it marks the folder as a workspace only once the rest is there.
    workspace.save(&Progress::new(learner))?;
    done.written.push(format!("{STATE_DIR}/{PROGRESS_FILE}"));
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_every_starter_keeps_existing_files_and_is_found_from_below() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("course");
        std::fs::create_dir_all(root.join("labs")).unwrap();
        std::fs::write(root.join("labs/first-golden-image.rhai"), "// mine").unwrap();
        let done = init(&root, Some("ada".into())).unwrap();
        assert_eq!(done.kept, ["labs/first-golden-image.rhai"]);
        assert_eq!(
            std::fs::read_to_string(root.join("labs/first-golden-image.rhai")).unwrap(),
            "// mine"
        );
        for lab in crate::lab::BUILTIN.iter().skip(1) {
            assert!(done.written.contains(&format!("labs/{}.rhai", lab.id)));
        }
        let found = Workspace::find(&root.join("labs")).unwrap();
        assert_eq!(found.root, root);
        assert_eq!(found.load().unwrap().learner.as_deref(), Some("ada"));
        assert!(init(&root, None).unwrap_err().0.contains("already"));
    }

    #[test]
    fn a_corrupt_progress_file_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), None).unwrap();
        let ws = Workspace::find(dir.path()).unwrap();
        std::fs::write(ws.progress_path(), "{\"version\": 1,").unwrap();
        let e = ws.update(|p| p.reveal_hints("l", "c", 1)).unwrap_err();
        assert!(e.0.contains("progress.json:1:"), "{e}");
        assert_eq!(
            std::fs::read_to_string(ws.progress_path()).unwrap(),
            "{\"version\": 1,"
        );
    }
}
