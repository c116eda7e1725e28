//! `amilab merge`: joining the output folders of a class graded in shards into one, refusing
//! anything that would make the joined gradebook wrong — a learner graded twice, a shard
//! missing, shards of different labs, lab versions, amilab versions or classes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::journal;
use super::manifest::{self, Counts, Manifest};
use super::record::{self, GradeRecord};
use super::run::{self, BatchError};
use super::shard::Shard;
use crate::report::Format;

/// One shard's output folder, read.
#[derive(Debug, Clone)]
pub struct ShardOutput {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub records: Vec<GradeRecord>,
}

/// Reads an output folder of `amilab grade`. `Err` names the folder and what is wrong with it.
pub fn read_output(dir: &Path) -> Result<ShardOutput, BatchError> {
    let shown = dir.display();
    if dir.join(journal::FILE).exists() {
        return Err(BatchError(format!(
            "`{shown}` is unfinished (its batch was interrupted: `{}` is still there)\n  = help: run the same `amilab grade` again to finish it",
            journal::FILE
        )));
    }
    let manifest_path = dir.join(manifest::FILE);
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        BatchError(format!(
            "`{shown}` is not an output folder of `amilab grade`: cannot read `{}`: {}",
            manifest_path.display(),
            crate::diagnostic::io_reason(&e)
        ))
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| BatchError(format!("`{}`: {e}", manifest_path.display())))?;
    if manifest.manifest_version != manifest::MANIFEST_VERSION {
        return Err(BatchError(format!(
            "`{}` is of manifest version {}; this amilab reads version {}",
            manifest_path.display(),
            manifest.manifest_version,
            manifest::MANIFEST_VERSION
        )));
    }
    let results = dir.join(run::RESULTS);
    let text = std::fs::read_to_string(&results).map_err(|e| {
        BatchError(format!(
            "cannot read `{}`: {}",
            results.display(),
            crate::diagnostic::io_reason(&e)
        ))
    })?;
    let records = record::parse_lines(&text)
        .map_err(|(line, why)| BatchError(format!("`{}:{line}`: {why}", results.display())))?;
    if records.len() != manifest.graded.records {
        return Err(BatchError(format!(
            "`{shown}`: its manifest counts {} records and `{}` holds {}; the folder was changed after grading",
            manifest.graded.records,
            run::RESULTS,
            records.len()
        )));
    }
    for r in &records {
        if r.content != manifest.content || r.amilab_version != manifest.amilab_version {
            return Err(BatchError(format!(
                "`{}`: the record of `{}` was graded against another content or amilab than the folder's manifest says",
                results.display(),
                r.learner
            )));
        }
        if let Some(why) = inconsistent(&r.result) {
            return Err(BatchError(format!(
                "`{}`: the record of `{}` is not a grading's result ({why}); the file was changed after grading",
                results.display(),
                r.learner
            )));
        }
        if !manifest.shard.contains(&r.learner) {
            return Err(BatchError(format!(
                "`{}`: `{}` does not belong to shard {}",
                results.display(),
                r.learner,
                manifest.shard
            )));
        }
    }
    Ok(ShardOutput {
        dir: dir.to_path_buf(),
        manifest,
        records,
    })
}

/// Joins shard outputs into one class: every shard `1..=N` of one split exactly once, of the
/// same content (id and sha256), amilab version and class, with no learner twice and every
/// learner of the class present. Returns the joined manifest (shard `1/1`) and records sorted
/// by learner: byte for byte what grading the whole class on one machine writes.
pub fn join(outputs: &[ShardOutput]) -> Result<(Manifest, Vec<GradeRecord>), BatchError> {
    let Some(first) = outputs.first() else {
        return Err(BatchError(
            "nothing to merge: name the shard output folders".into(),
        ));
    };
    let m0 = &first.manifest;
    let name = |o: &ShardOutput| format!("`{}`", o.dir.display());
    for o in &outputs[1..] {
        let m = &o.manifest;
        let differs = if m.content.kind != m0.content.kind || m.content.id != m0.content.id {
            Some(format!(
                "grades the {} `{}` and {} the {} `{}`",
                m.content.kind.as_str(),
                m.content.id,
                name(first),
                m0.content.kind.as_str(),
                m0.content.id
            ))
        } else if m.content.sha256 != m0.content.sha256 {
            Some(format!(
                "was graded against another version of `{}` than {} (sha256 {} and {}): the lab file changed between the runs",
                m.content.id,
                name(first),
                short(&m.content.sha256),
                short(&m0.content.sha256)
            ))
        } else if m.amilab_version != m0.amilab_version {
            Some(format!(
                "was graded by amilab {} and {} by amilab {}",
                m.amilab_version,
                name(first),
                m0.amilab_version
            ))
        } else if m.shard.total != m0.shard.total {
            Some(format!(
                "is shard {} and {} is shard {}: one class is split one way",
                m.shard,
                name(first),
                m0.shard
            ))
        } else if m.class != m0.class {
            Some(format!(
                "saw another class than {} ({} and {} submissions, or other learners): the shards must grade the same submissions folder",
                name(first),
                m.class.submissions,
                m0.class.submissions
            ))
        } else {
            None
        };
        if let Some(why) = differs {
            return Err(BatchError(format!("cannot merge: {} {why}", name(o))));
        }
    }
    let total = m0.shard.total;
    let mut by_index: BTreeMap<u32, &ShardOutput> = BTreeMap::new();
    for o in outputs {
        if let Some(other) = by_index.insert(o.manifest.shard.index, o) {
            return Err(BatchError(format!(
                "cannot merge: {} and {} are both shard {}",
                name(other),
                name(o),
                o.manifest.shard
            )));
        }
    }
    let missing: Vec<String> = (1..=total)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{total}"))
        .collect();
    if !missing.is_empty() {
        return Err(BatchError(format!(
            "cannot merge: shard {} of the class is missing; its learners would have no grade\n  = help: grade it (`amilab grade … --shard {}`) and name its folder too",
            missing.join(", "),
            missing[0]
        )));
    }
    let mut seen: BTreeMap<&str, &ShardOutput> = BTreeMap::new();
    let mut records: Vec<GradeRecord> = Vec::new();
    for o in by_index.values() {
        for r in &o.records {
            if let Some(other) = seen.insert(&r.learner, o) {
                return Err(BatchError(format!(
                    "cannot merge: the learner `{}` is in both {} and {}",
                    r.learner,
                    name(other),
                    name(o)
                )));
            }
            records.push(r.clone());
        }
    }
    records.sort_by(|a, b| a.learner.cmp(&b.learner));
    let class = super::manifest::Class::of(
        records
            .iter()
            .map(|r| (r.learner.as_str(), r.submission.as_str())),
    );
    if class != m0.class {
        return Err(BatchError(format!(
            "cannot merge: the shards hold {} learners and the class has {}; a shard was graded with other submissions or a learner map",
            records.len(),
            m0.class.submissions
        )));
    }
    let manifest = Manifest {
        shard: Shard::WHOLE,
        graded: Counts::of(&records),
        ..m0.clone()
    };
    Ok((manifest, records))
}

/// Merges the shard folders `dirs` into `out` (with reports in `reports` formats).
pub fn merge(dirs: &[PathBuf], out: &Path, reports: &[Format]) -> Result<Manifest, BatchError> {
    let outputs = dirs
        .iter()
        .map(|d| read_output(d))
        .collect::<Result<Vec<_>, _>>()?;
    let (manifest, records) = join(&outputs)?;
    std::fs::create_dir_all(out).map_err(|e| {
        BatchError(format!(
            "cannot create the folder `{}`: {}",
            out.display(),
            crate::diagnostic::io_reason(&e)
        ))
    })?;
    run::write_outputs(out, &manifest, &records, reports)?;
    // A journal left by an interrupted `grade` into this folder belongs to no merged class.
    let _ = std::fs::remove_file(out.join(journal::FILE));
    Ok(manifest)
}

/// What does not add up in a result, if anything: a score that is not the sum of its items'
/// points, more points than the maximum, or a verdict its outcome contradicts. Merging trusts
/// the shards' files, which CI artifacts carry between runners; this catches a hand-edited one.
fn inconsistent(result: &crate::report::RunResult) -> Option<String> {
    use crate::report::{round2, Outcome};
    let sum = round2(result.items.iter().map(|i| i.points).sum());
    let max = round2(result.items.iter().map(|i| i.max_points).sum());
    if (sum - result.score).abs() > 0.011 || (max - result.max_score).abs() > 0.011 {
        return Some(format!(
            "its score {}/{} is not the sum of its items, {sum}/{max}",
            result.score, result.max_score
        ));
    }
    if result.score > result.max_score + 1e-9
        || result.items.iter().any(|i| i.points > i.max_points + 1e-9)
    {
        return Some("it has more points than its maximum".into());
    }
    let outcome_passed = result.outcome == Outcome::Passed;
    if result.passed != outcome_passed
        || (result.error.is_some() != (result.outcome == Outcome::Error))
    {
        return Some("its verdict and its outcome disagree".into());
    }
    None
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}
