//! The embedded course against its folders: `course.yaml` names every lab folder and quiz file
//! exactly once, and the binary's tables hold exactly those, in that order, with the files'
//! current text. Also the folder-reading rules the build script uses (`build/course.rs`).

#[path = "../../build/course.rs"]
mod course;

use std::fs;
use std::path::Path;

use course::{CourseOrder, Ordered};

fn course_order() -> CourseOrder {
    let text = fs::read_to_string("course.yaml").expect("course.yaml is at the package root");
    CourseOrder::parse(&text).unwrap_or_else(|e| panic!("course.yaml: {e}"))
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn course_yaml_lists_every_lab_folder_once_and_nothing_else() {
    let found = course::lab_ids(Path::new("labs")).unwrap();
    let o = course::order(&course_order().labs, &found);
    assert!(
        o.agrees(),
        "course.yaml `labs:` and the folders under labs/ disagree: {o:#?}"
    );
    assert!(found.len() >= 3, "labs found: {found:?}");
}

#[test]
fn course_yaml_lists_every_quiz_file_once_and_nothing_else() {
    let found = course::quiz_ids(Path::new("quizzes")).unwrap();
    let o = course::order(&course_order().quizzes, &found);
    assert!(
        o.agrees(),
        "course.yaml `quizzes:` and quizzes/*.yaml disagree: {o:#?}"
    );
    assert!(found.len() >= 2, "quizzes found: {found:?}");
}

#[test]
fn embedded_labs_are_the_folders_in_course_order_with_their_current_text() {
    let embedded: Vec<&str> = amilab::lab::BUILTIN.iter().map(|b| b.id).collect();
    // (The order itself is pinned by the `lab list` snapshot in tests/lab_commands.rs.)
    assert_eq!(embedded, course_order().labs);
    for b in amilab::lab::BUILTIN {
        let dir = Path::new("labs").join(b.id);
        let names: Vec<&str> = b.files.iter().map(|(rel, _)| *rel).collect();
        assert_eq!(names, course::lab_files(&dir).unwrap(), "labs/{}", b.id);
        for (rel, text) in b.files {
            assert_eq!(
                *text,
                fs::read_to_string(dir.join(rel)).unwrap(),
                "labs/{}/{rel} is embedded with stale text",
                b.id
            );
        }
    }
}

#[test]
fn every_file_a_lab_yaml_names_is_embedded() {
    for b in amilab::lab::BUILTIN {
        let spec = amilab::lab::course::builtin(b).unwrap().spec;
        let loaded = amilab::lab::load(b.id).unwrap();
        for rel in [spec.starter.as_str(), spec.solution.as_str()]
            .into_iter()
            .chain(spec.wrong.iter().map(|w| w.file.as_str()))
        {
            assert!(loaded.read(rel).is_ok(), "labs/{}/{rel}", b.id);
        }
    }
}

#[test]
fn embedded_quizzes_are_the_files_in_course_order_with_their_current_text() {
    let embedded: Vec<&str> = amilab::quiz::BUILTIN.iter().map(|b| b.id).collect();
    assert_eq!(embedded, course_order().quizzes);
    for b in amilab::quiz::BUILTIN {
        assert_eq!(b.path, format!("quizzes/{}.yaml", b.id));
        assert_eq!(b.source, fs::read_to_string(b.path).unwrap(), "{}", b.path);
    }
}

#[test]
fn order_follows_the_declaration_and_reports_every_disagreement() {
    let declared = ids(&["b", "a", "gone", "b"]);
    let found = ids(&["a", "b", "new", "newer"]);
    assert_eq!(
        course::order(&declared, &found),
        Ordered {
            ids: ids(&["b", "a", "new", "newer"]),
            unlisted: ids(&["new", "newer"]),
            missing: ids(&["gone"]),
            repeated: ids(&["b"]),
        }
    );
    let agreed = course::order(&ids(&["b", "a"]), &ids(&["a", "b"]));
    assert!(agreed.agrees());
    assert_eq!(agreed.ids, ids(&["b", "a"]));
    assert!(!course::order(&ids(&["a"]), &ids(&["a", "b"])).agrees());
    assert!(!course::order(&ids(&["a", "b"]), &ids(&["a"])).agrees());
    assert!(!course::order(&ids(&["a", "a"]), &ids(&["a"])).agrees());
}

#[test]
fn folders_are_read_sorted_nested_and_without_hidden_entries() {
    let root = tempfile::tempdir().unwrap();
    let labs = root.path().join("labs");
    for dir in ["zeta/wrong/deeper", "alpha", ".hidden-lab"] {
        fs::create_dir_all(labs.join(dir)).unwrap();
    }
    for file in [
        "zeta/lab.yaml",
        "zeta/wrong/b.rhai",
        "zeta/wrong/a.rhai",
        "zeta/wrong/deeper/c.rhai",
        "zeta/.lab.yaml.swp",
        "zeta/wrong/.DS_Store",
        "stray.txt",
    ] {
        fs::write(labs.join(file), "x").unwrap();
    }
    assert_eq!(course::lab_ids(&labs).unwrap(), ids(&["alpha", "zeta"]));
    assert_eq!(
        course::lab_files(&labs.join("zeta")).unwrap(),
        ids(&[
            "lab.yaml",
            "wrong/a.rhai",
            "wrong/b.rhai",
            "wrong/deeper/c.rhai"
        ])
    );
    assert!(course::lab_files(&labs.join("alpha")).unwrap().is_empty());
    assert!(course::lab_files(&labs.join("missing")).is_err());

    let quizzes = root.path().join("quizzes");
    fs::create_dir_all(quizzes.join("drafts.yaml")).unwrap();
    for file in ["b.yaml", "a.yaml", "notes.md", "c.yml", ".d.yaml"] {
        fs::write(quizzes.join(file), "x").unwrap();
    }
    assert_eq!(course::quiz_ids(&quizzes).unwrap(), ids(&["a", "b"]));
}

#[test]
fn course_yaml_is_parsed_strictly() {
    let o = CourseOrder::parse("labs: [a, b]\nquizzes: [q]\n").unwrap();
    assert_eq!((o.labs, o.quizzes), (ids(&["a", "b"]), ids(&["q"])));
    let typo = CourseOrder::parse("lab: [a]\nquizzes: []\n").unwrap_err();
    assert!(typo.contains("unknown field `lab`"), "{typo}");
    assert!(CourseOrder::parse("quizzes: []\n").is_err());
}
