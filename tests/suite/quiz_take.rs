//! `amilab quiz take` driven through a real pseudo-terminal (tmux): arrow keys, space to tick,
//! typed answers, ordering (with undo) and matching, the confirmation of an empty multiple
//! choice, rationale after each question (wrapped to a narrow terminal), skipped questions
//! showing their answer, Ctrl-C (exit 130, with and without a half-made answer), and the score
//! card.
//!
//! Needs `tmux` (CI: `apt-get install -y tmux`). Without it the test is skipped locally and
//! fails when `CI` is set, so CI can never skip it silently.

use crate::pty::Session;

const FIXTURE: &str = "tests/fixtures/quizzes/take.yaml";

/// Starts `amilab quiz take` on the fixture for learner `pty` in a detached tmux session
/// `columns` wide. When the quiz ends, the shell prints its exit code and whether the terminal
/// is back in line mode with echo (`TTY=icanon echo`), which a prompt library in raw mode would
/// have left off.
fn start(tag: &str, columns: u16) -> Option<Session> {
    let bin = env!("CARGO_BIN_EXE_amilab");
    let command = format!(
        "NO_COLOR=1 {bin} quiz take {FIXTURE} --learner pty; echo EXIT=$?; \
         echo TTY=$(stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '); \
         sleep 60"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    Session::start(&format!("take-{tag}"), dir, &command, columns, 50)
}

/// Where the learner `pty` sees each step of the order question and each target of the match
/// question: they are shuffled per learner even when options are not.
fn shown_orders() -> (Vec<usize>, Vec<usize>) {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let loaded = amilab::quiz::bank::load_text(FIXTURE, &text).unwrap();
    let paper = amilab::quiz::draw(&loaded.spec, "pty");
    (
        paper.question("in-order").unwrap().order.clone(),
        paper.question("pair-up").unwrap().order.clone(),
    )
}

#[test]
fn take_a_quiz_in_a_pseudo_terminal() {
    let (steps_shown, targets_shown) = shown_orders();
    let Some(s) = start("full", 160) else {
        return;
    };

    s.wait_for("Question 1 of 7");
    s.wait_for("Your answer:");
    s.keys(&["Down", "Enter"]); // b) HVM

    s.wait_for("Question 2 of 7");
    s.wait_for("Tick every correct option");
    // Enter with nothing ticked asks first; no (the default) asks the question again.
    s.keys(&["Enter"]);
    s.wait_for("Submit with no option ticked? (y/N)");
    s.keys(&["Enter"]);
    s.wait_for_n("Tick every correct option", 2);
    s.keys(&["Space", "Down", "Space", "Enter"]); // a, b

    s.wait_for("Question 3 of 7");
    s.wait_for("True or false?");
    s.keys(&["Down", "Enter"]); // false

    s.wait_for("Question 4 of 7");
    s.wait_for("Your answer (in digits):");
    s.type_text("12");
    s.keys(&["Enter"]);

    s.wait_for("Question 5 of 7");
    s.type_text("self");
    s.keys(&["Enter"]);

    s.wait_for("Question 6 of 7");
    // A wrong first step, taken back with the undo choice (listed after the steps left).
    s.wait_for("Step 1 of 3: which comes next?");
    let wrong = steps_shown.iter().position(|&i| i == 2).unwrap();
    s.down(wrong);
    s.keys(&["Enter"]);
    s.wait_for("↩ undo last step");
    s.down(2);
    s.keys(&["Enter"]);
    s.wait_for_n("Step 1 of 3: which comes next?", 2);
    let mut remaining = steps_shown.clone();
    for step in 0..steps_shown.len() - 1 {
        let seen = if step == 0 { 2 } else { 1 };
        s.wait_for_n(&format!("Step {} of 3: which comes next?", step + 1), seen);
        let k = remaining.iter().position(|&i| i == step).unwrap();
        s.down(k);
        s.keys(&["Enter"]);
        remaining.remove(k);
    }

    s.wait_for("Question 7 of 7");
    for (left, label) in ["1. Only me →", "2. Everyone →"].iter().enumerate() {
        s.wait_for(label);
        let k = targets_shown.iter().position(|&i| i == left).unwrap();
        s.down(k);
        s.keys(&["Enter"]);
    }

    let screen = s.wait_for("TTY=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("TTY=icanon echo"), "{screen}");
    // Rationale after each question.
    assert!(screen.contains("Every current type is HVM."), "{screen}");
    assert!(screen.contains("Right, images are regional."), "{screen}");
    // The undone step is not in the answer.
    assert!(
        screen.contains("(3 of 3 steps in the right relative order)"),
        "{screen}"
    );
    assert!(
        screen.contains("── Question 1 of 7 · single · 1 point ──"),
        "{screen}"
    );
    // The score card.
    assert!(
        screen.contains("Score 7/7 (100%) · pass mark 50% · PASSED"),
        "{screen}"
    );
}

#[test]
fn skipped_questions_show_their_answer_and_ctrl_c_confirms_a_half_made_answer() {
    let Some(s) = start("skip", 160) else {
        return;
    };

    s.wait_for("Question 1 of 7");
    s.wait_for("Your answer:");
    s.keys(&["Escape"]);
    let screen = s.wait_for("Question 2 of 7");
    assert!(
        screen.contains("No answer given. The answer is b) HVM."),
        "{screen}"
    );
    assert!(
        screen.contains("b) HVM: Every current type is HVM."),
        "{screen}"
    );

    s.wait_for("Tick every correct option");
    s.keys(&["Escape"]);
    s.wait_for("Question 3 of 7");
    s.wait_for("True or false?");
    s.keys(&["Escape"]);
    let screen = s.wait_for("Question 4 of 7");
    assert!(
        screen.contains("No answer given. The correct options are a, b."),
        "{screen}"
    );
    assert!(
        screen.contains("No answer given. The statement is false."),
        "{screen}"
    );

    // A number with a sign that is not the question's unit is refused with the reason.
    s.wait_for("Your answer (in digits):");
    s.type_text("$12");
    s.keys(&["Enter"]);
    s.wait_for("`$` is not this question's unit; answer in digits");
    s.keys(&["BSpace", "BSpace", "BSpace"]);
    s.type_text("12 digits");
    s.keys(&["Enter"]);
    s.wait_for("You answered 12 digits.");

    // Ctrl-C with text typed asks; no brings the question back with the text kept.
    s.wait_for("Question 5 of 7");
    s.wait_for("Your answer:");
    s.type_text("sel");
    s.wait_for("sel");
    s.keys(&["C-c"]);
    s.wait_for("Discard your answer and quit? (y/N)");
    s.type_text("n");
    s.keys(&["Enter"]);
    s.wait_for_n("Your answer: sel", 2);
    s.type_text("f");
    s.keys(&["Enter"]);
    s.wait_for("You answered \"self\".");

    // Ctrl-C with a step placed asks; yes quits with 130 and the terminal restored.
    s.wait_for("Question 6 of 7");
    s.wait_for("Step 1 of 3: which comes next?");
    s.keys(&["Enter"]);
    s.wait_for("Step 2 of 3: which comes next?");
    s.keys(&["C-c"]);
    s.wait_for("Discard your answer and quit? (y/N)");
    s.type_text("y");
    s.keys(&["Enter"]);
    let screen = s.wait_for("TTY=");
    assert!(
        screen.contains("Quit at question 6 of 7: nothing was graded"),
        "{screen}"
    );
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert!(screen.contains("TTY=icanon echo"), "{screen}");
    assert!(
        !screen.contains("Score "),
        "no score card after quitting: {screen}"
    );
}

#[test]
fn narrow_terminal_wraps_rationale_and_ctrl_c_with_nothing_entered_quits() {
    const COLUMNS: usize = 60;
    let Some(s) = start("narrow", COLUMNS as u16) else {
        return;
    };

    s.wait_for("Question 1 of 7");
    s.wait_for("Your answer:");
    s.keys(&["Down", "Enter"]); // b) HVM
    s.wait_for("Question 2 of 7");
    s.wait_for("Tick every correct option");
    s.keys(&["Space", "Enter"]);
    s.wait_for("Question 3 of 7");
    s.wait_for("True or false?");
    s.keys(&["C-c"]);
    let screen = s.wait_for("TTY=");
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert!(screen.contains("TTY=icanon echo"), "{screen}");
    assert!(
        !screen.contains("Discard your answer"),
        "nothing was entered, so nothing to confirm: {screen}"
    );
    assert!(
        screen.contains("Quit at question 3 of 7: nothing was graded"),
        "{screen}"
    );

    // The rationale, wrapped by amilab (capture-pane -J joins the terminal's own soft wraps,
    // so a line wider than the terminal here would mean amilab did not wrap it).
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("  b) HVM: Every current type is HVM."))
        .unwrap_or_else(|| panic!("no rationale; screen:\n{screen}"));
    let rationale: Vec<&str> = lines[first..]
        .iter()
        .take_while(|l| l.starts_with("  ") && !l.trim().is_empty())
        .copied()
        .collect();
    assert!(rationale.len() >= 3, "{rationale:#?}");
    for line in &rationale {
        assert!(
            line.chars().count() <= COLUMNS,
            "wider than the terminal: {line:?}"
        );
    }
    let words: Vec<&str> = rationale
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect();
    let expected = "b) HVM: Every current type is HVM. Paravirtual images boot only on a few \
                    old instance families, and a long rationale like this one wraps at word \
                    boundaries to the terminal's width.";
    assert_eq!(words, expected.split_whitespace().collect::<Vec<_>>());
}
