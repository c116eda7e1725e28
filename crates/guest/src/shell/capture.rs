//! Output capture with SSM's character limits, and byte-bounded strings.

/// Collects output up to a character limit and silently drops the rest, as SSM does.
#[derive(Debug)]
pub(crate) struct Capture {
    pub(crate) text: String,
    chars: usize,
    limit: usize,
}

impl Capture {
    pub(crate) fn new(limit: usize) -> Capture {
        Capture {
            text: String::new(),
            chars: 0,
            limit,
        }
    }

    /// Appends as much of `s` as the limit leaves room for.
    pub(crate) fn push(&mut self, s: &str) {
        let room = self.limit.saturating_sub(self.chars);
        match s.char_indices().nth(room) {
            Some((cut, _)) => {
                self.text.push_str(&s[..cut]);
                self.chars = self.limit;
            }
            None => {
                self.text.push_str(s);
                self.chars += s.chars().count();
            }
        }
    }
}

/// Cuts `s` to at most `max` bytes on a character boundary.
pub(crate) fn truncate_bytes(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;
    use super::super::super::{MAX_STDERR_CHARS, MAX_STDOUT_CHARS};

    #[test]
    fn captured_output_is_cut_at_ssm_limits() {
        let mut guest = al2023();
        let long = "x".repeat(1000);
        let script: Vec<String> = (0..40)
            .flat_map(|_| [format!("echo {long}"), format!("echo {long} >&2")])
            .collect();
        let result = guest.run_script(&script);
        assert_eq!(result.stdout.chars().count(), MAX_STDOUT_CHARS);
        assert_eq!(result.stderr.chars().count(), MAX_STDERR_CHARS);
        assert_eq!(result.exit_code, 0);
    }
}
