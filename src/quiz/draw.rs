//! Per-learner draws: the seed from the learner id (sha256), `pick: N`, and shuffling of
//! questions and options with ChaCha8 — portable, so every platform draws the same paper.

use super::spec::{Kind, QuestionSpec, QuizSpec};

use crate::learner::Draw;
pub use crate::learner::ANONYMOUS;

/// The seed of a learner's paper for a quiz: the first 8 bytes (little-endian) of a sha256 of
/// the quiz id and the learner id.
pub fn learner_seed(quiz_id: &str, learner: &str) -> u64 {
    crate::learner::seed_from(&["amilab-quiz", quiz_id, learner])
}

fn draw_for(seed: u64, label: &str) -> Draw {
    Draw::new(&[&seed.to_string(), label])
}

/// One drawn question: the authored question and the order its choices are shown in.
#[derive(Debug, Clone)]
pub struct DrawnQuestion<'q> {
    pub spec: &'q QuestionSpec,
    /// Display order: `order[k]` is the authored index of the k-th shown option / step /
    /// match target. Empty for kinds without choices.
    pub order: Vec<usize>,
}

impl DrawnQuestion<'_> {
    /// The letter shown for display position `k` (`a`, `b`, …, `z`, `aa`, …).
    pub fn letter(k: usize) -> String {
        let mut k = k;
        let mut s = Vec::new();
        loop {
            s.push((b'a' + (k % 26) as u8) as char);
            if k < 26 {
                break;
            }
            k = k / 26 - 1;
        }
        s.iter().rev().collect()
    }

    /// The display position of a letter, if it names one of the shown choices.
    pub fn position_of(&self, letter: &str) -> Option<usize> {
        let l = letter.trim().trim_end_matches(')').to_ascii_lowercase();
        (0..self.order.len()).find(|&k| Self::letter(k) == l)
    }

    /// The letter under which an authored choice is shown.
    pub fn letter_of(&self, authored: usize) -> String {
        let k = self
            .order
            .iter()
            .position(|&i| i == authored)
            .unwrap_or(authored);
        Self::letter(k)
    }
}

/// A learner's paper: the questions drawn, in the order shown.
#[derive(Debug, Clone)]
pub struct Paper<'q> {
    pub quiz: &'q QuizSpec,
    pub learner: String,
    pub seed: u64,
    pub questions: Vec<DrawnQuestion<'q>>,
}

impl<'q> Paper<'q> {
    pub fn question(&self, id: &str) -> Option<&DrawnQuestion<'q>> {
        self.questions.iter().find(|q| q.spec.id == id)
    }
}

/// Draws `quiz` for `learner`: same learner → same paper; another learner → another draw.
pub fn draw<'q>(quiz: &'q QuizSpec, learner: &str) -> Paper<'q> {
    let seed = learner_seed(&quiz.id, learner);
    let mut indices: Vec<usize> = (0..quiz.questions.len()).collect();
    let mut draw = draw_for(seed, "questions");
    let pick = quiz.pick.unwrap_or(indices.len()).min(indices.len());
    if pick < indices.len() || quiz.shuffle_questions {
        draw.shuffle(&mut indices);
    }
    indices.truncate(pick);
    if !quiz.shuffle_questions {
        indices.sort_unstable();
    }
    let questions = indices
        .into_iter()
        .map(|i| {
            let spec = &quiz.questions[i];
            DrawnQuestion {
                spec,
                order: choice_order(spec, seed, quiz.shuffle_options),
            }
        })
        .collect();
    Paper {
        quiz,
        learner: learner.to_string(),
        seed,
        questions,
    }
}

fn choice_order(q: &QuestionSpec, seed: u64, shuffle_options: bool) -> Vec<usize> {
    let n = q.choice_count();
    let mut order: Vec<usize> = (0..n).collect();
    if n < 2 {
        return order;
    }
    let mut draw = draw_for(seed, &q.id);
    match q.kind {
        // Steps are always shuffled (otherwise the answer is on the page); never left in the
        // correct order.
        Kind::Order => {
            while order.windows(2).all(|w| w[0] < w[1]) {
                draw.shuffle(&mut order);
            }
        }
        Kind::Match => draw.shuffle(&mut order),
        Kind::Single | Kind::Multiple if shuffle_options => {
            let free: Vec<usize> = (0..n).filter(|&i| !q.options[i].pin).collect();
            let mut shuffled = free.clone();
            draw.shuffle(&mut shuffled);
            for (slot, value) in free.iter().zip(shuffled) {
                order[*slot] = value;
            }
        }
        _ => {}
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(DrawnQuestion::letter(0), "a");
        assert_eq!(DrawnQuestion::letter(25), "z");
        assert_eq!(DrawnQuestion::letter(26), "aa");
    }

    #[test]
    fn seed_is_stable() {
        // Pinned: changing the derivation would silently change every learner's paper.
        assert_eq!(
            learner_seed("ami-anatomy", "alice"),
            learner_seed("ami-anatomy", "alice")
        );
        assert_ne!(
            learner_seed("ami-anatomy", "alice"),
            learner_seed("ami-anatomy", "bob")
        );
        assert_ne!(
            learner_seed("ami-anatomy", "alice"),
            learner_seed("ami-lifecycle", "alice")
        );
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut draw = draw_for(1, "x");
        let mut v: Vec<u32> = (0..50).collect();
        draw.shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(v, sorted);
    }
}
