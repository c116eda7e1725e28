//! Build script: embeds the course found in `labs/*/` and `quizzes/*.yaml`, in the order
//! `course.yaml` gives, so that adding a lab is adding a folder (and a line to `course.yaml`).
//!
//! It writes two Rust expressions into `OUT_DIR`, each a table of `include_str!`s that
//! `src/lab/course.rs` and `src/quiz/bank.rs` include as their `BUILTIN`:
//! `labs.rs` (`&[Builtin { id, files: &[(relative path, text)] }]`) and `quizzes.rs`
//! (`&[Builtin { id, path, source }]`).

#[path = "course.rs"]
mod course;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use course::{CourseOrder, Ordered};

fn main() {
    // A directory given to rerun-if-changed is scanned as a whole: a file added, edited or
    // removed anywhere under it reruns this script, and so re-embeds the course.
    println!("cargo:rerun-if-changed=labs");
    println!("cargo:rerun-if-changed=quizzes");
    println!("cargo:rerun-if-changed=course.yaml");

    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let order_text = read(&root.join("course.yaml"));
    let order =
        CourseOrder::parse(&order_text).unwrap_or_else(|e| fail(&format!("course.yaml: {e}")));

    let labs = course::order(&order.labs, &or_fail(course::lab_ids(&root.join("labs"))));
    warn_disagreement("labs", "folders under labs/", &labs);
    let mut table = String::from("&[\n");
    for id in &labs.ids {
        let files = or_fail(course::lab_files(&root.join("labs").join(id)));
        writeln!(
            table,
            "    Builtin {{\n        id: {id:?},\n        files: &["
        )
        .ok();
        for rel in files {
            let path = format!("/labs/{id}/{rel}");
            writeln!(table, "            ({rel:?}, {}),", include(&path)).ok();
        }
        writeln!(table, "        ],\n    }},").ok();
    }
    table.push(']');
    write(&out.join("labs.rs"), &table);

    let quizzes = course::order(
        &order.quizzes,
        &or_fail(course::quiz_ids(&root.join("quizzes"))),
    );
    warn_disagreement("quizzes", "files quizzes/*.yaml", &quizzes);
    let mut table = String::from("&[\n");
    for id in &quizzes.ids {
        let path = format!("quizzes/{id}.yaml");
        writeln!(
            table,
            "    Builtin {{\n        id: {id:?},\n        path: {path:?},\n        source: {},\n    }},",
            include(&format!("/{path}"))
        )
        .ok();
    }
    table.push(']');
    write(&out.join("quizzes.rs"), &table);
}

/// `include_str!` of a path relative to the package root, written through `CARGO_MANIFEST_DIR`
/// so the generated file names no absolute path of this machine.
fn include(rel: &str) -> String {
    format!("include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {rel:?}))")
}

/// A disagreement between `course.yaml` and the folders does not stop the build (whatever the
/// folders hold is embedded, unlisted ids last), but it is shown, and
/// `tests/suite/course_content.rs` fails on it.
fn warn_disagreement(key: &str, what: &str, o: &Ordered) {
    if o.agrees() {
        return;
    }
    for id in &o.unlisted {
        println!("cargo:warning=course.yaml: `{id}` is not listed under `{key}:` (embedded last); add it where the course should show it");
    }
    for id in &o.missing {
        println!(
            "cargo:warning=course.yaml: `{key}:` lists `{id}`, but the {what} have no such id"
        );
    }
    for id in &o.repeated {
        println!("cargo:warning=course.yaml: `{key}:` lists `{id}` more than once");
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}

fn or_fail<T>(r: std::io::Result<T>) -> T {
    r.unwrap_or_else(|e| fail(&e.to_string()))
}

/// Stops the build with the message (a build script reports errors by failing).
fn fail(message: &str) -> ! {
    panic!("embedding the course: {message}")
}
