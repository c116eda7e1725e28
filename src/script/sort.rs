//! `array.sort(comparer)` that stops on the comparer's errors. Rhai's own turns any error in a
//! comparer (a sandbox limit among them) into an ordering and sorts on: a script whose comparer
//! ran into the operations limit or the deadline was reported as finished. This one is a
//! merge sort (stable, and never panics whatever the comparer answers) whose every error,
//! a limit included, ends the sort and propagates as it would anywhere else.

use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, NativeCallContext, Position};

type Result<T> = std::result::Result<T, Box<EvalAltResult>>;

/// Registers `sort(array, comparer)` over the package's.
pub fn register(engine: &mut Engine) {
    engine.register_fn(
        "sort",
        |ctx: NativeCallContext, array: &mut Array, comparer: FnPtr| -> Result<()> {
            if array.len() > 1 {
                *array = merge_sort(&ctx, &comparer, array.clone())?;
            }
            Ok(())
        },
    );
}

/// Whether `a` may stay before `b`: the comparer's number (or bool, as Rhai allows) is not
/// positive.
fn in_order(ctx: &NativeCallContext, comparer: &FnPtr, a: &Dynamic, b: &Dynamic) -> Result<bool> {
    let v = comparer.call_raw(ctx, None, [a.clone(), b.clone()])?;
    if let Ok(n) = v.as_int() {
        return Ok(n <= 0);
    }
    if let Ok(f) = v.as_float() {
        return Ok(f.is_nan() || f <= 0.0);
    }
    if let Ok(less) = v.as_bool() {
        return Ok(less);
    }
    Err(EvalAltResult::ErrorRuntime(
        format!(
            "the comparer of sort must return a number (negative, zero or positive), not {}",
            v.type_name()
        )
        .into(),
        Position::NONE,
    )
    .into())
}

fn merge_sort(ctx: &NativeCallContext, comparer: &FnPtr, mut items: Array) -> Result<Array> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(ctx, comparer, items)?;
    let right = merge_sort(ctx, comparer, right)?;
    let mut out = Array::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(a), Some(b)) = (left.peek(), right.peek()) {
        if in_order(ctx, comparer, a, b)? {
            out.extend(left.next());
        } else {
            out.extend(right.next());
        }
    }
    out.extend(left);
    out.extend(right);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::super::sandbox::{engine, Limits, Output};

    fn eval(script: &str) -> std::result::Result<rhai::Dynamic, Box<rhai::EvalAltResult>> {
        let mut e = engine(Limits::default(), Rc::new(RefCell::new(Output::default())));
        super::register(&mut e);
        e.eval(script)
    }

    #[test]
    fn sorts_stably_with_numbers_floats_and_bools() {
        let r = eval("let a = [3, 1, 2, 1]; a.sort(|x, y| x - y); a").unwrap();
        assert_eq!(r.to_string(), "[1, 1, 2, 3]");
        let r = eval("let a = [3, 1, 2]; a.sort(|x, y| (y - x).to_float()); a").unwrap();
        assert_eq!(r.to_string(), "[3, 2, 1]");
        let r = eval("let a = [3, 1, 2]; a.sort(|x, y| x < y); a").unwrap();
        assert_eq!(r.to_string(), "[1, 2, 3]");
        // Not a total order: no panic, every element kept.
        let r = eval("let a = []; for i in 0..200 { a.push(i % 7) } a.sort(|x, y| 1); a.len()");
        assert_eq!(r.unwrap().as_int().unwrap(), 200);
    }

    #[test]
    fn errors_and_limits_in_the_comparer_propagate() {
        let e = eval("let a = [3, 1, 2]; a.sort(|x, y| throw \"no\"); 0").unwrap_err();
        assert!(e.to_string().contains("no"), "{e}");
        let e = eval("let a = [3, 1, 2]; a.sort(|x, y| \"bigger\"); 0").unwrap_err();
        assert!(e.to_string().contains("must return a number"), "{e}");
        let e = eval("let a = [3, 1, 2]; a.sort(|x, y| { loop { } }); 0").unwrap_err();
        assert!(
            matches!(*e, rhai::EvalAltResult::ErrorTooManyOperations(_)),
            "{e}"
        );
    }
}
