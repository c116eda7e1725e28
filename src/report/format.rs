//! The output formats of the result model, and rendering a result in one of them.

use super::model::RunResult;
use super::text::PrettyOptions;

/// Every output format of the result model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Colour and symbols for a terminal (no colour with NO_COLOR or when not a terminal).
    #[default]
    Pretty,
    /// No colour, no symbols, full sentences: for screen readers and logs.
    Plain,
    /// The versioned result model as JSON.
    Json,
    /// JUnit XML (the subset GitLab and GitHub read).
    Junit,
    /// TAP version 14.
    Tap,
    /// Gradescope's results.json.
    Gradescope,
    /// GitHub Classroom: runner result to $GITHUB_OUTPUT, annotations, step summary.
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 7] = [
        Format::Pretty,
        Format::Plain,
        Format::Json,
        Format::Junit,
        Format::Tap,
        Format::Gradescope,
        Format::Github,
    ];

    /// The format's name on the command line (`pretty`, `json`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Pretty => "pretty",
            Format::Plain => "plain",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::Tap => "tap",
            Format::Gradescope => "gradescope",
            Format::Github => "github",
        }
    }

    /// What the format is for, in one line (`--help`).
    pub fn help(self) -> &'static str {
        match self {
            Format::Pretty => {
                "Colour and symbols for a terminal (no colour with NO_COLOR or when not a terminal)"
            }
            Format::Plain => "No colour, no symbols, full sentences: for screen readers and logs",
            Format::Json => "The versioned result model as JSON",
            Format::Junit => "JUnit XML (the subset GitLab and GitHub read)",
            Format::Tap => "TAP version 14",
            Format::Gradescope => "Gradescope's results.json",
            Format::Github => {
                "GitHub Classroom: runner result to $GITHUB_OUTPUT, annotations, step summary"
            }
        }
    }
}

/// Renders the main output of `format` (for `github`, the stdout part; the side files come from
/// [`super::github::github`]). `color` only matters for `pretty`.
///
/// A report may be printed into a CI log, so learner text in it can never form a log command:
/// the text formats escape it where they write it; JSON and JUnit XML are made safe here, as a
/// whole, without changing what they mean (see [`super::escape::json_no_commands`]).
pub fn render(result: &RunResult, format: Format, color: bool) -> String {
    use super::escape;
    match format {
        Format::Pretty => super::text::pretty(result, PrettyOptions { color, width: None }),
        Format::Plain => super::text::plain(result),
        Format::Json => escape::json_no_commands(&super::json::json(result)),
        Format::Junit => escape::no_commands(&super::junit::junit(result)),
        Format::Tap => super::tap::tap(result),
        Format::Gradescope => escape::json_no_commands(&super::gradescope::gradescope(result)),
        Format::Github => super::github::github(result).stdout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_distinct_name() {
        let mut names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names[0], "pretty");
        assert_eq!(Format::Gradescope.name(), "gradescope");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Format::ALL.len());
    }
}
