//! Which file-system events are a save of the watched script.
//!
//! The watch is on the script's folder (editors that rename a temporary file over the script
//! replace its inode, so a watch on the file itself would go deaf after the first save), so
//! every event in the folder arrives here and is kept only if it names the script itself:
//! editors' swap and backup files (`.x.rhai.swp`, `x.rhai~`, vim's `4913` probe, Emacs's
//! `.#x.rhai` lock) never match.

use std::ffi::OsStr;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind};

/// Is `event` a change to the file called `name` (the script's file name, no folder)?
///
/// Kept: creation, removal, renames to or from the name, data writes, a close after writing,
/// and modification times (the polling watcher reports a newer mtime as metadata). Dropped:
/// opens and reads (the grader's own reads would otherwise re-trigger it forever) and
/// metadata that a save does not change (permissions, owner, access time).
pub fn is_save(event: &Event, name: &OsStr) -> bool {
    let kind_counts = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::Permissions
            | MetadataKind::Ownership
            | MetadataKind::AccessTime
            | MetadataKind::Extended,
        )) => false,
        EventKind::Create(_)
        | EventKind::Remove(_)
        | EventKind::Modify(_)
        | EventKind::Any
        | EventKind::Other => true,
    };
    kind_counts
        && event
            .paths
            .iter()
            .any(|path| path.file_name() == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
    use std::path::PathBuf;

    const DIR: &str = "/home/learner/lab";

    fn event(kind: EventKind, names: &[&str]) -> Event {
        let mut event = Event::new(kind);
        for name in names {
            event = event.add_path(PathBuf::from(DIR).join(name));
        }
        event
    }

    fn saves(kind: EventKind, names: &[&str]) -> bool {
        is_save(&event(kind, names), OsStr::new("first.rhai"))
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));

    #[test]
    fn writes_to_the_script_count() {
        assert!(saves(WRITE, &["first.rhai"]));
        assert!(saves(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["first.rhai"]
        ));
        assert!(saves(EventKind::Create(CreateKind::File), &["first.rhai"]));
        assert!(saves(EventKind::Remove(RemoveKind::File), &["first.rhai"]));
        assert!(saves(EventKind::Any, &["first.rhai"]));
        // The polling watcher's report of a newer modification time.
        assert!(saves(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
            &["first.rhai"]
        ));
    }

    #[test]
    fn a_rename_over_the_script_counts_from_either_side() {
        let both = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(saves(both, &["first.rhai.tmp123", "first.rhai"]));
        assert!(saves(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            &["first.rhai"]
        ));
        // vim without backupcopy: the original is renamed to the backup name first.
        assert!(saves(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            &["first.rhai"]
        ));
        assert!(saves(both, &["first.rhai", "first.rhai~"]));
    }

    #[test]
    fn swap_backup_and_lock_files_do_not_count() {
        for name in [
            ".first.rhai.swp",
            ".first.rhai.swx",
            "first.rhai~",
            "4913",
            ".#first.rhai",
            "#first.rhai#",
            "first.rhai.tmp123",
            "other.rhai",
            "first.rhai.bak",
        ] {
            for kind in [
                WRITE,
                EventKind::Create(CreateKind::File),
                EventKind::Remove(RemoveKind::File),
            ] {
                assert!(!saves(kind, &[name]), "{name} with {kind:?}");
            }
        }
        // A temporary file renamed to another temporary name.
        assert!(!saves(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["4913", "first.rhai~"]
        ));
    }

    #[test]
    fn reads_and_unrelated_metadata_do_not_count() {
        for kind in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
        ] {
            assert!(!saves(kind, &["first.rhai"]), "{kind:?}");
        }
    }

    #[test]
    fn an_event_without_paths_does_not_count() {
        assert!(!saves(WRITE, &[]));
    }
}
