//! What makes grading many submissions cheap keeps every grade the same: the per-thread
//! cache of compiled checks, the per-lab hash of the lab file, and grading one learner again
//! after others (every cache warm) gives the identical result.

use std::rc::Rc;

use amilab::lab::checks::{compiled, Show};
use amilab::lab::{self, hint_use, Who};
use amilab::report::SourceHash;
use rhai::Engine;

#[test]
fn check_code_is_compiled_once_per_thread() {
    let engine = Engine::new_raw();
    let first = compiled(&engine, "let x = 1; x + 1".to_string()).unwrap();
    let again = compiled(&Engine::new_raw(), "let x = 1; x + 1".to_string()).unwrap();
    assert!(
        Rc::ptr_eq(&first, &again),
        "the second compile is the cached AST"
    );
    let other = compiled(&engine, "let x = 1; x + 2".to_string()).unwrap();
    assert!(!Rc::ptr_eq(&first, &other), "other code, another AST");
    assert_eq!(engine.eval_ast::<i64>(&other).unwrap(), 3);
    // Code that does not compile is an error every time (never cached).
    assert!(compiled(&engine, "let x = ;".to_string()).is_err());
    assert!(compiled(&engine, "let x = ;".to_string()).is_err());
}

#[test]
fn the_lab_file_hash_is_the_sha256_of_its_text() {
    let loaded = lab::load("clone-across-regions").unwrap();
    let expected = SourceHash::of("x", loaded.text.as_bytes()).sha256;
    assert_eq!(loaded.text_sha256(), expected);
    assert_eq!(loaded.text_sha256().len(), 64);
}

fn graded(loaded: &lab::Loaded, source: &str, learner: &str) -> String {
    let v = lab::variant(
        &loaded.spec,
        &Who {
            learner: Some(learner.to_string()),
            seed: None,
        },
    );
    let show = Show {
        hints: 1,
        taken: &hint_use::NONE_TAKEN,
        reveal_hidden: false,
    };
    let mut result = lab::grade::grade_variant(loaded, "solution.rhai", source, &v, &show)
        .unwrap()
        .result;
    result.strip_timings();
    serde_json::to_string_pretty(&result).unwrap()
}

#[test]
fn a_grade_is_the_same_whatever_was_graded_before_it_on_the_thread() {
    let loaded = lab::load("clone-across-regions").unwrap();
    let solution = loaded.read("solution.rhai").unwrap();
    let starter = loaded.read("starter.rhai").unwrap();
    let first = graded(&loaded, &solution, "ada");
    assert!(first.contains("\"passed\": true"), "{first}");
    for learner in ["bo", "cy", "di"] {
        graded(&loaded, &solution, learner);
        graded(&loaded, &starter, learner);
    }
    // Every cache warm (compiled checks, the lab's hash, the regions' catalogues).
    assert_eq!(graded(&loaded, &solution, "ada"), first);
    // On a thread of its own (cold per-thread caches), the same again.
    let (loaded2, solution2) = (loaded.clone(), solution.clone());
    let other = std::thread::spawn(move || graded(&loaded2, &solution2, "ada"))
        .join()
        .unwrap();
    assert_eq!(other, first);
}
