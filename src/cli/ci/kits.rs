//! The text of each CI kit's files (GitHub Classroom, GitLab CI, Gradescope), from what the
//! kit grades: pure functions of their inputs, so the same inputs write the same bytes.

/// The `--amilab-source` placeholder: the install steps stop with an error while it is there.
pub const PLACEHOLDER_SOURCE: &str = "https://REPLACE-ME.invalid/the-git-url-of-amilab.git";

/// What a kit grades, and how it installs amilab.
#[derive(Debug, Clone, PartialEq)]
pub struct Kit {
    /// `lab` or `quiz`.
    pub kind: &'static str,
    /// The id of the lab or quiz (for comments and the job's name).
    pub id: String,
    /// What to pass to amilab for it: a built-in id, or a path relative to the kit's folder.
    pub arg: String,
    /// Whether `arg` is a path (Gradescope then finds it in the autograder's source folder).
    pub is_path: bool,
    /// The submission file, relative to the repository root / Gradescope's submission folder.
    pub submission: String,
    /// sha256 of the lab or quiz file, pinned with `--lab-sha256` / `--quiz-sha256`.
    pub sha256: String,
    /// The git URL `cargo install --git` builds amilab from.
    pub source: String,
    /// The points every learner can reach (0 when they differ between learners' papers).
    pub max_points: f64,
}

impl Kit {
    /// The grading command, with `learner` (a shell word) and the format arguments appended.
    pub fn command(&self, content: &str, learner: &str, format_args: &str) -> String {
        let grade = match self.kind {
            "lab" => "check",
            _ => "quiz grade",
        };
        format!(
            "amilab {grade} {content} {} --learner {learner} --{}-sha256 {} {format_args}",
            self.submission, self.kind, self.sha256
        )
    }

    /// The GitHub Classroom runner result for a submission amilab could not grade at all
    /// (exit 2: nothing committed, a changed lab), base64-encoded as `$GITHUB_OUTPUT` takes
    /// it: no points, one `error` test that says where to look. Without it the reporter would
    /// get no result and fail without a score.
    pub fn not_graded_runner_result(&self) -> String {
        use base64::Engine as _;
        let json = serde_json::json!({
            "version": 1,
            "status": "error",
            "max_score": self.max_points,
            "tests": [{
                "name": "amilab: not graded",
                "status": "error",
                "score": 0,
                "message": format!(
                    "amilab could not grade this submission: the Grade step says why (is `{}` committed in the repository's root?)",
                    self.submission
                ),
            }],
        });
        base64::engine::general_purpose::STANDARD.encode(json.to_string())
    }

    /// Whether the install step still has the placeholder.
    pub fn has_placeholder(&self) -> bool {
        self.source == PLACEHOLDER_SOURCE
    }
}

/// The shell lines that refuse the placeholder in `$AMILAB_SOURCE`, saying what to edit.
fn refuse_placeholder(file: &str) -> Vec<String> {
    vec![
        "case \"$AMILAB_SOURCE\" in".to_string(),
        format!(
            "  *REPLACE-ME*) echo \"error: AMILAB_SOURCE is a placeholder: set it in {file} to the git URL of amilab\" >&2; exit 1 ;;"
        ),
        "esac".to_string(),
    ]
}

/// The command that builds and installs amilab from `$AMILAB_SOURCE`.
const CARGO_INSTALL: &str = "cargo install --locked --git \"$AMILAB_SOURCE\" amilab";

/// The shell lines that install amilab from `$AMILAB_SOURCE` with cargo, refusing the
/// placeholder first.
fn install_lines(file: &str) -> Vec<String> {
    let mut lines = refuse_placeholder(file);
    lines.push(CARGO_INSTALL.to_string());
    lines
}

fn indent(lines: &[String], by: &str) -> String {
    lines.iter().map(|l| format!("{by}{l}\n")).collect()
}

/// `.github/workflows/classroom.yml`: GitHub Classroom's autograding workflow. The grade step
/// writes the runner result (`--format github`) and the reporter step, which runs even when
/// grading fails, hands it to Classroom.
pub fn github(kit: &Kit) -> String {
    const FILE: &str = ".github/workflows/classroom.yml";
    let command = kit.command(&kit.arg, "\"$LEARNER\"", "--format github");
    format!(
        "# Written by `amilab ci init github`: GitHub Classroom autograding for the {kind} `{id}`.
# The learner's submission is `{submission}` in the repository's root.
# GitHub Classroom's reporter needs this workflow name and job name: keep them.
name: Autograding Tests
\"on\":
  - push
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      # Installs amilab: edit AMILAB_SOURCE, or replace this step with your own install.
      - name: Install amilab
        env:
          AMILAB_SOURCE: \"{source}\"
        run: |
{install}      # Exit 2 means nothing could be graded (no submission, a changed {kind}): the reporter
      # then gets a result with no points, and the error above says why.
      - name: Grade
        id: amilab
        env:
          LEARNER: ${{{{ github.actor }}}}
        run: |
          status=0
          {command} || status=$?
          if [ \"$status\" = 2 ]; then
            echo \"result={not_graded}\" >> \"$GITHUB_OUTPUT\"
          fi
          exit \"$status\"
      # Runs even when grading failed (exit 1), so a failing learner still gets a score.
      - name: Autograding Reporter
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          AMILAB_RESULTS: \"${{{{ steps.amilab.outputs.result }}}}\"
        with:
          runners: amilab
",
        kind = kit.kind,
        id = kit.id,
        submission = kit.submission,
        source = kit.source,
        install = indent(&install_lines(FILE), "          "),
        not_graded = kit.not_graded_runner_result(),
    )
}

/// The JUnit file the GitLab job writes.
pub const GITLAB_REPORT: &str = "amilab-report.xml";

/// `.gitlab-ci.yml`: one job that grades and publishes a JUnit report, also when it fails.
pub fn gitlab(kit: &Kit) -> String {
    let command = kit.command(
        &kit.arg,
        "\"$GITLAB_USER_LOGIN\"",
        &format!("--format junit --out {GITLAB_REPORT}"),
    );
    format!(
        "# Written by `amilab ci init gitlab`: grades the {kind} `{id}` in GitLab CI.
# The learner's submission is `{submission}` in the repository's root.
# The job fails unless it passes; the JUnit report is published either way.
amilab:
  image: rust:1.88
  variables:
    # Installs amilab: edit AMILAB_SOURCE, or replace before_script with your own install.
    AMILAB_SOURCE: \"{source}\"
  before_script:
    - |
{install}  script:
    - {command}
  artifacts:
    when: always
    reports:
      junit: {GITLAB_REPORT}
",
        kind = kit.kind,
        id = kit.id,
        submission = kit.submission,
        source = kit.source,
        install = indent(&install_lines(".gitlab-ci.yml"), "      "),
    )
}

/// Gradescope's `setup.sh`: installs a Rust toolchain and amilab in the autograder image.
pub fn gradescope_setup(kit: &Kit) -> String {
    format!(
        "#!/usr/bin/env bash
# Written by `amilab ci init gradescope`: Gradescope runs this once, as root, to build the
# autograder image. Edit AMILAB_SOURCE, or replace the install with your own.
set -euo pipefail
AMILAB_SOURCE=\"${{AMILAB_SOURCE:-{source}}}\"
{refuse}apt-get update -qq
apt-get install -y -qq curl build-essential python3
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
export PATH=\"$HOME/.cargo/bin:$PATH\"
{CARGO_INSTALL}
install -m 755 \"$HOME/.cargo/bin/amilab\" /usr/local/bin/amilab
",
        source = kit.source,
        refuse = indent(&refuse_placeholder("setup.sh"), ""),
    )
}

/// Gradescope's `run_autograder`: grades the submission into `results/results.json`. Every
/// Gradescope path can be overridden by an environment variable, to try it elsewhere.
pub fn gradescope_run(kit: &Kit) -> String {
    let content = if kit.is_path {
        format!("\"$SOURCE\"/{}", kit.arg)
    } else {
        kit.arg.clone()
    };
    let command = kit.command(
        &content,
        "\"$LEARNER\"",
        "--format gradescope --out \"$RESULTS/results.json\" 2>\"$RESULTS/amilab-stderr.txt\"",
    );
    format!(
        "#!/usr/bin/env bash
# Written by `amilab ci init gradescope`: grades the {kind} `{id}` for Gradescope.
# The learner uploads `{submission}`. The AMILAB_* variables override Gradescope's paths.
set -u
SOURCE=\"${{AMILAB_SOURCE_DIR:-/autograder/source}}\"
SUBMISSION=\"${{AMILAB_SUBMISSION_DIR:-/autograder/submission}}\"
RESULTS=\"${{AMILAB_RESULTS_DIR:-/autograder/results}}\"
METADATA=\"${{AMILAB_METADATA:-/autograder/submission_metadata.json}}\"
mkdir -p \"$RESULTS\"
rm -f \"$RESULTS/results.json\"

# The learner decides the variant: the first submitter's email, else `anonymous`.
LEARNER=anonymous
if [ -f \"$METADATA\" ]; then
  LEARNER=\"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[\"users\"][0][\"email\"])' \"$METADATA\" 2>/dev/null || echo anonymous)\"
fi

cd \"$SUBMISSION\" || exit 1
{command}
code=$?
cat \"$RESULTS/amilab-stderr.txt\" >&2

# Exit 0, 1 and 3 wrote a report. Exit 2 (the submission is missing or unreadable, or the
# {kind} changed from the pinned one) wrote none: say why in results.json, with no points.
if [ ! -s \"$RESULTS/results.json\" ]; then
  python3 - \"$RESULTS/amilab-stderr.txt\" \"$RESULTS/results.json\" \"$code\" <<'PY'
import json, sys
reason = open(sys.argv[1]).read().strip() or \"amilab stopped with exit code \" + sys.argv[3]
results = {{
    \"score\": 0,
    \"output\": \"Not graded: make sure you uploaded `{submission}`.\\n\\n\" + reason,
    \"visibility\": \"visible\",
    \"tests\": [],
}}
with open(sys.argv[2], \"w\") as f:
    json.dump(results, f, indent=2)
PY
fi
exit 0
",
        kind = kit.kind,
        id = kit.id,
        submission = kit.submission,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kit() -> Kit {
        Kit {
            kind: "lab",
            id: "first-golden-image".into(),
            arg: "first-golden-image".into(),
            is_path: false,
            submission: "first-golden-image.rhai".into(),
            sha256: "ab".repeat(32),
            source: PLACEHOLDER_SOURCE.into(),
            max_points: 13.0,
        }
    }

    #[test]
    fn the_command_pins_the_content_and_names_the_learner() {
        assert_eq!(
            kit().command("first-golden-image", "\"$L\"", "--format tap"),
            format!(
                "amilab check first-golden-image first-golden-image.rhai --learner \"$L\" --lab-sha256 {} --format tap",
                "ab".repeat(32)
            )
        );
        let quiz = Kit {
            kind: "quiz",
            ..kit()
        };
        assert!(quiz
            .command("q", "x", "")
            .starts_with("amilab quiz grade q first-golden-image.rhai --learner x --quiz-sha256 "));
    }

    #[test]
    fn every_install_refuses_the_placeholder() {
        let k = kit();
        assert!(k.has_placeholder());
        for text in [github(&k), gitlab(&k), gradescope_setup(&k)] {
            assert!(text.contains("*REPLACE-ME*) echo \"error: AMILAB_SOURCE is a placeholder"));
            assert!(text.contains(PLACEHOLDER_SOURCE));
        }
    }

    #[test]
    fn a_path_lab_is_found_in_gradescopes_source_folder() {
        let k = Kit {
            arg: "labs/mine".into(),
            is_path: true,
            ..kit()
        };
        assert!(gradescope_run(&k).contains("amilab check \"$SOURCE\"/labs/mine "));
        assert!(gitlab(&k).contains("amilab check labs/mine "));
    }
}
