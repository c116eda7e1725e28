//! The gradebook: `gradebook.csv`, one row per learner with the score and the points of every
//! check or question, for Moodle's CSV import or a spreadsheet; and `canvas.csv`, the same
//! scores in the columns Canvas's gradebook import reads.

use std::collections::BTreeMap;

use super::manifest::Manifest;
use super::record::GradeRecord;
use crate::report::{fmt_points, Outcome};

/// `gradebook.csv`: the header `learner,submission,score,max_score,percent,passed,outcome,
/// hints_used,error`, then one column per item of the content (in the content's order; its
/// header is the item id), then one row per record in the records' order (by learner). Points
/// are plain decimals (`7.5`), `percent` has at most two decimals, `passed` is `true`/`false`; an
/// item a learner's paper did not draw is an empty cell; `error` says why an `error` outcome
/// could not be graded.
pub fn gradebook_csv(manifest: &Manifest, records: &[GradeRecord]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<String> = [
        "learner",
        "submission",
        "score",
        "max_score",
        "percent",
        "passed",
        "outcome",
        "hints_used",
        "error",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(manifest.items.iter().cloned());
    w.write_record(&header).expect("writing to memory");
    for r in records {
        let result = &r.result;
        let points: BTreeMap<&str, f64> = result
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.points))
            .collect();
        let hints: u32 = result.items.iter().map(|i| i.hints_used).sum();
        let mut row = vec![
            r.learner.clone(),
            no_formula(&r.submission),
            fmt_points(result.score),
            fmt_points(result.max_score),
            fmt_points(result.percent()),
            result.passed.to_string(),
            outcome_word(result.outcome).to_string(),
            hints.to_string(),
            no_formula(&result.error.clone().unwrap_or_default().replace('\n', " ")),
        ];
        row.extend(manifest.items.iter().map(|id| {
            points
                .get(id.as_str())
                .map(|p| fmt_points(*p))
                .unwrap_or_default()
        }));
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// `canvas.csv`: the columns Canvas's gradebook import needs — `Student`, `ID`, `SIS User ID`,
/// `SIS Login ID`, `Section` — then one assignment column, `<title> (<id>)`, holding the score.
/// The learner id goes in `SIS Login ID` (Canvas matches students by it) and in `Student`; the
/// others stay empty. Canvas creates the assignment from the column on import; its points
/// possible is the max score (set it in Canvas if it differs).
pub fn canvas_csv(manifest: &Manifest, records: &[GradeRecord]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let column = format!("{} ({})", manifest.title, manifest.content.id);
    w.write_record([
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        column.as_str(),
    ])
    .expect("writing to memory");
    for r in records {
        w.write_record([
            r.learner.as_str(),
            "",
            "",
            r.learner.as_str(),
            "",
            fmt_points(r.result.score).as_str(),
        ])
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// `text`, with a `'` in front when a spreadsheet would run it as a formula (it starts with
/// `=`, `+`, `-` or `@`: a submission's file name is the learner's choice). Learner ids never
/// start so (see [`super::submissions::valid_learner`]): they must match the LMS's as they are.
fn no_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Error => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::manifest::{Class, Counts, MANIFEST_VERSION};
    use crate::batch::record::ContentRef;
    use crate::batch::Shard;
    use crate::report::{ItemResult, RunKind, RunResult};

    fn record(learner: &str, items: &[(&str, f64, f64)], error: Option<&str>) -> GradeRecord {
        let mut result = RunResult::new(RunKind::Quiz, "q", "Q", 1, 50.0);
        for (id, points, max) in items {
            result.items.push(ItemResult::new(*id, *id, *points, *max));
        }
        result.error = error.map(str::to_string);
        result.finish();
        GradeRecord {
            learner: learner.into(),
            submission: format!("{learner}.yaml"),
            submission_sha256: String::new(),
            amilab_version: "0".into(),
            content: ContentRef {
                kind: RunKind::Quiz,
                id: "q".into(),
                sha256: String::new(),
            },
            aws_errors: Default::default(),
            result,
        }
    }

    fn manifest() -> Manifest {
        Manifest {
            manifest_version: MANIFEST_VERSION,
            amilab_version: "0".into(),
            content: ContentRef {
                kind: RunKind::Quiz,
                id: "q".into(),
                sha256: String::new(),
            },
            title: "Quiz, \"one\"".into(),
            items: vec!["a".into(), "b".into(), "c".into()],
            shard: Shard::WHOLE,
            class: Class::of([("x", "x.yaml")]),
            graded: Counts::default(),
        }
    }

    #[test]
    fn undrawn_questions_are_empty_cells_and_text_is_quoted() {
        let records = [
            record("doe, jane", &[("a", 1.0, 1.0), ("c", 0.5, 2.0)], None),
            record("x", &[("b", 0.0, 1.0)], Some("line one\nline \"two\"")),
        ];
        let csv = gradebook_csv(&manifest(), &records);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[1],
            "\"doe, jane\",\"doe, jane.yaml\",1.5,3,50,true,passed,0,,1,,0.5"
        );
        assert_eq!(
            lines[2],
            "x,x.yaml,0,1,0,false,error,0,\"line one line \"\"two\"\"\",,0,"
        );
        let canvas = canvas_csv(&manifest(), &records);
        assert!(
            canvas.starts_with(
                "Student,ID,SIS User ID,SIS Login ID,Section,\"Quiz, \"\"one\"\" (q)\"\n"
            ),
            "{canvas}"
        );
    }
}
