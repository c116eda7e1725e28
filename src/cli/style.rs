//! Terminal styling: colour only on a terminal and never when `NO_COLOR` is set.

use owo_colors::{OwoColorize, Stream};

/// Should stdout be coloured?
pub fn stdout_colors() -> bool {
    supports(Stream::Stdout)
}

/// Should stderr be coloured?
pub fn stderr_colors() -> bool {
    supports(Stream::Stderr)
}

fn supports(stream: Stream) -> bool {
    // `if_supports_color` consults NO_COLOR, FORCE_COLOR and whether the stream is a terminal.
    let yes = std::cell::Cell::new(false);
    let _ = format!(
        "{}",
        "x".if_supports_color(stream, |t| {
            yes.set(true);
            t.to_string()
        })
    );
    yes.get()
}

pub fn error_label(color: bool) -> String {
    paint("error", color, |s| s.red().bold().to_string())
}

pub fn paint(text: &str, color: bool, f: impl Fn(&str) -> String) -> String {
    if color {
        f(text)
    } else {
        text.to_string()
    }
}
