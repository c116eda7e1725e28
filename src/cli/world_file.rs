//! World files (`amilab run --world FILE`, `amilab aws`'s sandbox): read and refused as a bad
//! input when they are not a world this version can load, and written atomically.

use std::path::Path;

use super::{input, CliError};
use amilab_cloud::{Cloud, WorldFileError};

/// The world saved in `path`, or `None` when there is no such file (the run starts from the
/// usual world and creates it). A file that cannot be read or is not a valid world is a bad
/// input (exit 2), and is left as it is.
///
/// `instead` says what to do about a bad file (`pass another --world FILE to start a new
/// world`). The world comes back as it was saved: a new run's [`Cloud::begin_run`] is the
/// caller's to make.
pub fn load_world_file(path: &Path, instead: &str) -> Result<Option<Cloud>, CliError> {
    if !path.exists() {
        return Ok(None);
    }
    let text = input::read_input(path, "world file", crate::limits::MAX_WORLD_BYTES)?;
    let cloud = Cloud::load_world(&text, Some(crate::yaml::component_document)).map_err(|e| {
        let at = match &e {
            WorldFileError::NotJson { line, column, .. } => {
                format!("{}:{line}:{column}", path.display())
            }
            _ => path.display().to_string(),
        };
        CliError::usage(format!(
            "{at}: {e}\n  = note: the file was not changed; {instead}"
        ))
    })?;
    Ok(Some(cloud))
}

/// Writes `text` to `path` atomically: to a temporary file in the same directory, then renamed
/// over `path`, so that an interrupted save leaves the old world whole.
pub fn save_world_file(path: &Path, text: &str) -> Result<(), String> {
    let reason = |e: std::io::Error| {
        format!(
            "cannot save the world to `{}`: {}",
            path.display(),
            crate::diagnostic::io_reason(&e)
        )
    };
    crate::atomic_file::write(path, text).map_err(reason)
}
