//! How validation says what it found in words: a variant (`count=9, regions=[…]`, or the
//! learner), why a run lost points, and a check that failed to run, placed at its line in
//! lab.yaml. Shared by proving a lab and by mutation testing.

use super::checks::{Fault, FaultPlace};
use super::course::Loaded;
use super::grade::Variant;
use super::params::{self, Params};
use super::validate::{check_code, prelude};
use crate::diagnostic::Diagnostic;
use crate::report::{ItemStatus, RunResult};
use crate::yaml::Locator;

/// `count=9, instance_type=t3.micro, regions=[eu-west-1, ap-south-1]`, or the learner.
pub fn describe(v: &Variant) -> String {
    let params = describe_params(&v.params);
    match (&v.learner, params.is_empty()) {
        (Some(l), true) => format!("learner {l}"),
        (Some(l), false) => format!("learner {l}: {params}"),
        (None, true) => format!("seed {}", v.seed),
        (None, false) => params,
    }
}

fn describe_params(p: &Params) -> String {
    p.iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::Array(items) => format!(
                    "[{}]",
                    items
                        .iter()
                        .map(params::text_of)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                other => params::text_of(other),
            };
            format!("{k}={text}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `total` (12 clone(s)), the script stopped: … ``: why a run lost points.
pub fn describe_failures(result: &RunResult) -> String {
    let mut parts: Vec<String> = result
        .items
        .iter()
        .filter(|i| i.status != ItemStatus::Passed)
        .map(|i| {
            let why = i.found.as_ref().or(i.message.as_ref());
            match why {
                Some(m) => format!("`{}` ({})", i.id, crate::report::escape::one_line(m)),
                None => format!("`{}`", i.id),
            }
        })
        .collect();
    if let Some(e) = result.submission.as_ref().and_then(|s| s.error.as_ref()) {
        parts.push(format!("the script stopped: {}", e.describe()));
    }
    parts.join(", ")
}

/// The lab-file position of a fault: the check's own line (or the prelude's).
fn fault_position(loc: &Locator, check_id: &str, fault: &Fault) -> Option<(usize, usize)> {
    match fault.place {
        FaultPlace::Check(l, c) => check_code(loc, check_id, Some(l), Some(c)),
        FaultPlace::Value => loc.key(check_id, "rhai"),
        FaultPlace::Prelude(l, c) => prelude(loc, Some(l), Some(c)),
    }
}

/// A check that failed to run on `on` (a submission, a mutant), located at the check's own line
/// in lab.yaml: an authoring error.
pub fn fault_diagnostic(
    lab: &Loaded,
    loc: &Locator,
    check_id: &str,
    fault: &Fault,
    on: &str,
) -> Diagnostic {
    Diagnostic::error(
        &lab.file,
        format!("check `{check_id}` failed to run on {on}: {}", fault.message),
    )
    .code("check-fault")
    .at(fault_position(loc, check_id, fault))
    .hint("a check must decide on any state a learner can reach: read fields that may be missing as `()` and compare, never assume a record exists")
}
