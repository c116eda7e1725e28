//! `pad` for arrays and strings, bounded by the memory allowance: the one family of Rhai
//! functions that asks for a size in a single operation (`[].pad(1_000_000_000_000, 0)`), which
//! the per-operation memory check would only see after the allocation had failed. Same
//! behaviour as Rhai's own `pad` otherwise; registered on the engine, so it shadows the
//! package's.

use std::mem::size_of;

use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Position, INT};

use super::MEMORY_TOKEN;
use crate::memory::Allowance;

type Result<T> = std::result::Result<T, Box<EvalAltResult>>;

/// Registers the bounded `pad` overloads on `engine`.
pub fn register(engine: &mut Engine, memory: Allowance) {
    let m = memory.clone();
    engine.register_fn(
        "pad",
        move |array: &mut Array, len: INT, item: Dynamic| -> Result<()> {
            let Ok(len) = usize::try_from(len) else {
                return Ok(());
            };
            let Some(added) = len.checked_sub(array.len()).filter(|n| *n > 0) else {
                return Ok(());
            };
            let each = size_of::<Dynamic>().saturating_add(heap_size(&item));
            affordable(&m, added.saturating_mul(each))?;
            array.resize(len, item);
            Ok(())
        },
    );
    let m = memory.clone();
    engine.register_fn(
        "pad",
        move |string: &mut ImmutableString, len: INT, character: char| -> Result<()> {
            let Some(added) = missing_chars(string, len) else {
                return Ok(());
            };
            affordable(&m, added.saturating_mul(character.len_utf8()))?;
            let text = string.make_mut();
            text.extend(std::iter::repeat_n(character, added));
            Ok(())
        },
    );
    engine.register_fn(
        "pad",
        move |string: &mut ImmutableString, len: INT, padding: &str| -> Result<()> {
            // Rhai's own loops forever on an empty padding.
            let Some(added) = missing_chars(string, len).filter(|_| !padding.is_empty()) else {
                return Ok(());
            };
            let widest = padding.chars().map(char::len_utf8).max().unwrap_or(1);
            affordable(&memory, added.saturating_mul(widest))?;
            let text = string.make_mut();
            text.extend(padding.chars().cycle().take(added));
            Ok(())
        },
    );
}

/// Characters to add to reach `len` characters, if any.
fn missing_chars(string: &str, len: INT) -> Option<usize> {
    let len = usize::try_from(len).ok()?;
    len.checked_sub(string.chars().count()).filter(|n| *n > 0)
}

/// Refuses an allocation of `bytes` the allowance cannot cover, as the memory limit.
fn affordable(memory: &Allowance, bytes: usize) -> Result<()> {
    if bytes > memory.remaining() {
        return Err(Box::new(EvalAltResult::ErrorTerminated(
            Dynamic::from(MEMORY_TOKEN),
            Position::NONE,
        )));
    }
    Ok(())
}

/// About how many bytes a value owns beyond its own slot (strings, arrays and maps, deeply).
fn heap_size(value: &Dynamic) -> usize {
    if let Ok(s) = value.as_immutable_string_ref() {
        return s.len();
    }
    if let Ok(array) = value.as_array_ref() {
        return array
            .iter()
            .map(|v| size_of::<Dynamic>() + heap_size(v))
            .sum();
    }
    if let Ok(map) = value.as_map_ref() {
        return map
            .iter()
            .map(|(k, v)| k.len() + 2 * size_of::<Dynamic>() + heap_size(v))
            .sum();
    }
    0
}
