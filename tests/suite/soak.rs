//! Determinism soak (issue 12, item 9): grading the same submission again and again gives a
//! byte-identical report in every format. CI grades each of the course's reference solutions and
//! one wrong submission per lab, for two learners, `AMILAB_SOAK` times (3 by default); run a
//! long soak with `AMILAB_SOAK=1000 cargo test --release --test suite soak -- --nocapture`.

use std::collections::BTreeSet;

use crate::cli_common::{run, FORMATS};

/// (lab, submission): each lab's reference solution and one wrong submission.
const SUBMISSIONS: [(&str, &str); 8] = [
    (
        "first-golden-image",
        "labs/first-golden-image/solution.rhai",
    ),
    (
        "first-golden-image",
        "labs/first-golden-image/wrong/no-reboot.rhai",
    ),
    (
        "clone-across-regions",
        "labs/clone-across-regions/solution.rhai",
    ),
    (
        "clone-across-regions",
        "labs/clone-across-regions/wrong/count-per-region.rhai",
    ),
    (
        "share-with-teammate",
        "labs/share-with-teammate/solution.rhai",
    ),
    (
        "share-with-teammate",
        "labs/share-with-teammate/wrong/public-snapshot.rhai",
    ),
    ("roll-out-v2", "labs/roll-out-v2/solution.rhai"),
    (
        "roll-out-v2",
        "labs/roll-out-v2/wrong/site-down-while-running.rhai",
    ),
];

fn rounds() -> usize {
    std::env::var("AMILAB_SOAK")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
}

#[test]
fn grading_the_same_submission_again_gives_the_same_bytes_in_every_format() {
    let rounds = rounds();
    for (lab, script) in SUBMISSIONS {
        for learner in ["ada", "bob"] {
            for format in FORMATS {
                let mut seen = BTreeSet::new();
                for _ in 0..rounds {
                    let (code, out, err) = run(&[
                        "check",
                        lab,
                        script,
                        "--learner",
                        learner,
                        "--format",
                        format,
                        "--no-timings",
                    ]);
                    assert!(code == 0 || code == 1, "{lab} {script} {format}: {err}");
                    seen.insert((code, out));
                }
                assert_eq!(
                    seen.len(),
                    1,
                    "{lab} {script} as {learner} in {format}: {rounds} gradings gave {} different reports",
                    seen.len()
                );
            }
        }
    }
}
