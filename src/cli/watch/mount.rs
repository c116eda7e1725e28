//! Native file events or polling: the file systems where events from another machine never
//! arrive (network and host-shared folders), found from `/proc/self/mountinfo` on Linux.
//!
//! inotify only sees changes made through this kernel: a script on NFS, SMB, a VM's or WSL's
//! 9p / virtiofs share, or a FUSE mount such as sshfs may be saved by an editor on the other
//! side, and no event comes. There the watch polls instead.

use std::path::{Component, Path, PathBuf};

/// How the watch learns about saves, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The operating system's file events (inotify, FSEvents, ReadDirectoryChangesW).
    Native,
    /// Reading the folder every [`POLL_INTERVAL_MS`] milliseconds.
    Poll(Reason),
}

/// Why the watch polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `--poll`.
    Asked,
    /// The script's folder is on a file system of this type (`nfs4`, `9p`, `fuse.sshfs`, …).
    FileSystem(String),
    /// A Windows drive seen from WSL (`/mnt/c/…`).
    WslDrive,
    /// Native events could not be set up (the message says why).
    NoEvents(String),
}

/// How often the polling watcher reads the folder.
pub const POLL_INTERVAL_MS: u64 = 500;

impl Mode {
    /// The words of the status line: `file events` or `polling`.
    pub fn short(&self) -> &'static str {
        match self {
            Mode::Native => "file events",
            Mode::Poll(_) => "polling",
        }
    }

    /// One sentence saying how saves are noticed and why.
    pub fn describe(&self) -> String {
        let poll = format!("polling every {POLL_INTERVAL_MS} ms");
        match self {
            Mode::Native => "noticing saves with file events".to_string(),
            Mode::Poll(Reason::Asked) => format!("{poll} (--poll)"),
            Mode::Poll(Reason::FileSystem(fs)) => format!(
                "{poll}: the folder is on a `{fs}` file system, where file events may not arrive"
            ),
            Mode::Poll(Reason::WslDrive) => {
                format!("{poll}: the folder is a Windows drive seen from WSL")
            }
            Mode::Poll(Reason::NoEvents(why)) => {
                format!("{poll}: file events are unavailable ({why})")
            }
        }
    }
}

/// The mode for a script in `dir` (an absolute, canonical folder): polling when asked, for a
/// Windows drive under WSL, or when the folder's file system needs it; native otherwise
/// (including when the mount table cannot be read, as on every system but Linux).
pub fn choose(dir: &Path, poll: bool) -> Mode {
    if poll {
        return Mode::Poll(Reason::Asked);
    }
    if std::env::var_os("WSL_DISTRO_NAME").is_some() && dir.starts_with("/mnt") {
        return Mode::Poll(Reason::WslDrive);
    }
    let Ok(mountinfo) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Mode::Native;
    };
    match fs_type(&mountinfo, dir) {
        Some(fs) if needs_polling(&fs) => Mode::Poll(Reason::FileSystem(fs)),
        _ => Mode::Native,
    }
}

/// Does a file system of type `fs` (mountinfo's spelling) need polling?
pub fn needs_polling(fs: &str) -> bool {
    const REMOTE: [&str; 16] = [
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "virtiofs",
        "drvfs",
        "fuse",
        "vboxsf",
        "vmhgfs",
        "prl_fs",
        "afs",
        "ceph",
        "glusterfs",
        "davfs",
    ];
    // Every user-space file system (sshfs, rclone, Docker Desktop's grpcfuse, gcsfuse, …) may be
    // changed behind the kernel's back; `fuseblk` is a local disk (NTFS, exFAT) and is not.
    REMOTE.contains(&fs) || fs.starts_with("fuse.")
}

/// The type of the file system that holds `dir`, from the text of `/proc/self/mountinfo`: the
/// mount with the longest mount point containing `dir` (the last one listed when several are
/// stacked on the same point, as the last mounted is the one visible).
pub fn fs_type(mountinfo: &str, dir: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        let Some((point, fs)) = parse_line(line) else {
            continue;
        };
        if !dir.starts_with(&point) {
            continue;
        }
        let depth = point.components().count();
        if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
            best = Some((depth, fs));
        }
    }
    best.map(|(_, fs)| fs)
}

/// (mount point, file-system type) of one mountinfo line:
/// `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue`:
/// the fifth field is the mount point; the type follows the ` - ` that ends the optional fields.
fn parse_line(line: &str) -> Option<(PathBuf, String)> {
    let (before, after) = line.split_once(" - ")?;
    let point = before.split(' ').nth(4)?;
    let fs = after.split(' ').next()?;
    let point = PathBuf::from(unescape(point));
    // Only absolute points: anything else is a line this parser does not understand.
    matches!(point.components().next(), Some(Component::RootDir)).then(|| (point, fs.to_string()))
}

/// The kernel writes a space, tab, newline and backslash in a path as `\040`, `\011`, `\012`
/// and `\134`.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal {
            Some(d) => {
                let value = d.iter().fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A container on a Linux host with a WSL-like share, an NFS home and an sshfs mount.
    const MOUNTINFO: &str = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw
24 22 0:22 / /tmp rw,nosuid,nodev shared:6 - tmpfs tmpfs rw
30 22 0:40 / /mnt/c rw,noatime - 9p drvfs rw,dirsync,aname=drvfs;path=C:\\,mmap,access=client,msize=65536,trans=fd,rfd=5,wfd=5
31 22 0:41 / /mnt/d rw,noatime - drvfs D:\\ rw,case=off
32 22 0:42 / /home/nfs rw,relatime shared:7 - nfs4 server:/export/home rw,vers=4.2
33 22 0:43 / /srv/share rw,relatime shared:8 - cifs //nas/share rw,vers=3.1.1
34 22 0:44 / /home/learner/remote rw,nosuid,nodev,relatime shared:9 - fuse.sshfs learner@box:/labs rw,user_id=1000
35 22 0:45 / /workspace rw,relatime - virtiofs myfs rw
36 22 8:17 / /media/usb rw,relatime - fuseblk /dev/sdb1 rw,user_id=0
37 22 8:2 / /home/my\\040labs rw,relatime - xfs /dev/sda2 rw
38 24 0:46 / /tmp/over rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w
39 38 0:47 / /tmp/over rw,relatime - nfs srv:/x rw
";

    fn fs_of(dir: &str) -> Option<String> {
        fs_type(MOUNTINFO, Path::new(dir))
    }

    #[test]
    fn the_longest_mount_point_wins() {
        assert_eq!(fs_of("/home/learner/lab").as_deref(), Some("ext4"));
        assert_eq!(fs_of("/").as_deref(), Some("ext4"));
        assert_eq!(fs_of("/tmp/x").as_deref(), Some("tmpfs"));
        assert_eq!(fs_of("/mnt/c/Users/me").as_deref(), Some("9p"));
        assert_eq!(fs_of("/mnt/d").as_deref(), Some("drvfs"));
        assert_eq!(fs_of("/home/nfs/learner").as_deref(), Some("nfs4"));
        assert_eq!(fs_of("/srv/share/labs").as_deref(), Some("cifs"));
        assert_eq!(
            fs_of("/home/learner/remote/lab").as_deref(),
            Some("fuse.sshfs")
        );
        assert_eq!(fs_of("/workspace/lab").as_deref(), Some("virtiofs"));
        assert_eq!(fs_of("/media/usb").as_deref(), Some("fuseblk"));
    }

    #[test]
    fn a_mount_point_matches_whole_components_only() {
        // `/home/nfs` must not claim `/home/nfsx`.
        assert_eq!(fs_of("/home/nfsx").as_deref(), Some("ext4"));
    }

    #[test]
    fn escaped_spaces_in_mount_points_are_decoded() {
        assert_eq!(fs_of("/home/my labs/first").as_deref(), Some("xfs"));
    }

    #[test]
    fn the_last_of_stacked_mounts_is_the_visible_one() {
        assert_eq!(fs_of("/tmp/over/a").as_deref(), Some("nfs"));
    }

    #[test]
    fn network_and_shared_file_systems_poll_local_ones_do_not() {
        for fs in [
            "9p",
            "drvfs",
            "nfs",
            "nfs4",
            "cifs",
            "smb3",
            "virtiofs",
            "fuse.sshfs",
            "fuse.grpcfuse",
            "vboxsf",
        ] {
            assert!(needs_polling(fs), "{fs}");
        }
        for fs in ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "fuseblk"] {
            assert!(!needs_polling(fs), "{fs}");
        }
    }

    #[test]
    fn garbage_lines_are_skipped() {
        let text = "nonsense\n1 2 3\n40 1 0:1 / relative rw - ext4 x rw\n";
        assert_eq!(fs_type(text, Path::new("/a")), None);
    }

    #[test]
    fn polling_when_asked_whatever_the_folder() {
        assert_eq!(choose(Path::new("/"), true), Mode::Poll(Reason::Asked));
    }

    #[test]
    fn each_mode_says_how_and_why() {
        assert_eq!(Mode::Native.describe(), "noticing saves with file events");
        assert_eq!(
            Mode::Poll(Reason::FileSystem("9p".into())).describe(),
            "polling every 500 ms: the folder is on a `9p` file system, where file events may not arrive"
        );
        assert_eq!(Mode::Poll(Reason::Asked).short(), "polling");
    }
}
