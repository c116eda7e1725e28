//! In-process grading of the clone lab's reference solution, as `amilab grade` does it per
//! submission: draw the learner's variant, then grade in a fresh world of that variant. One lab
//! (`lab::Loaded`) is shared by every submission and every thread.
//!
//! `cargo bench --bench grade` prints the time of one submission on one thread, and the
//! throughput of a batch graded on rayon's pool (submissions/s on this machine's cores).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use rayon::prelude::*;

use amilab::lab::{self, checks::Show, hint_use, Loaded, Who};

const LAB: &str = "clone-across-regions";

fn lab_and_solution() -> (Loaded, String) {
    let loaded = lab::load(LAB).expect("the built-in clone lab loads");
    let solution = loaded.read("solution.rhai").expect("it ships a solution");
    (loaded, solution)
}

/// Grades the solution for learner `id`; the score is returned so the work cannot be skipped
/// (and a broken build that stops passing shows at once).
fn grade_one(loaded: &Loaded, solution: &str, id: &str) -> f64 {
    let who = Who {
        learner: Some(id.to_string()),
        seed: None,
    };
    let v = lab::variant(&loaded.spec, &who);
    let show = Show {
        hints: lab::grade::DEFAULT_HINTS,
        taken: &hint_use::NONE_TAKEN,
        reveal_hidden: false,
    };
    let graded = lab::grade::grade_variant(loaded, "solution.rhai", solution, &v, &show)
        .expect("the clone lab's world builds");
    assert!(graded.result.passed, "the solution passes for {id}");
    graded.result.score
}

fn grade(c: &mut Criterion) {
    let (loaded, solution) = lab_and_solution();
    let mut group = c.benchmark_group("grade clone-across-regions solution");
    // Each iteration is milliseconds (a batch: a good part of a second): equal samples of few
    // iterations, not criterion's growing ones, keep a run under a minute.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);

    // One submission after another on this thread, a new learner (variant) each time.
    let mut n = 0u64;
    group.throughput(Throughput::Elements(1));
    group.bench_function("one submission, one thread", |b| {
        b.iter(|| {
            n += 1;
            black_box(grade_one(&loaded, &solution, &format!("learner-{n}")))
        })
    });

    // A batch of distinct learners on rayon's pool (every core), as `amilab grade` runs it.
    const BATCH: u64 = 256;
    let mut next = 0u64;
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function(
        format!(
            "{BATCH} submissions, rayon on {} threads",
            rayon::current_num_threads()
        ),
        |b| {
            b.iter(|| {
                let first = next;
                next += BATCH;
                let total: f64 = (first..first + BATCH)
                    .into_par_iter()
                    .map(|i| grade_one(&loaded, &solution, &format!("batch-{i}")))
                    .sum();
                black_box(total)
            })
        },
    );
    group.finish();
}

criterion_group!(benches, grade);
criterion_main!(benches);
