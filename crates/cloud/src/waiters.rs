//! boto3's waiters: poll a describe call, advancing the simulated clock by the waiter's delay
//! between attempts, until an acceptor says success or failure or the attempts run out.
//! Names, operations, delays, attempt counts and acceptors are botocore's.

use serde_json::Value;

use super::api::{Client, Encoding};
use super::error::CallError;
use super::{Caller, Cloud};

/// What an acceptor decides when its matcher matches (botocore's `state`: success, failure, retry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    Failure,
    Retry,
}

/// What an acceptor looks at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Matcher {
    /// Every value at the path equals the expected one (and there is at least one).
    PathAll(&'static str, &'static str),
    /// Some value at the path equals the expected one.
    PathAny(&'static str, &'static str),
    /// The single value at the path equals the expected one.
    Path(&'static str, &'static str),
    /// The list at the path is not empty.
    NotEmpty(&'static str),
    /// The call failed with this error code.
    Error(&'static str),
}

/// One of a waiter's acceptors: botocore checks them in order and the first match decides.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Acceptor {
    pub(crate) matcher: Matcher,
    pub(crate) outcome: Outcome,
}

/// One of boto3's waiters (`ec2.get_waiter("image_available")`): the describe call it polls, the
/// delay between polls (simulated seconds), how many polls it makes and what ends the wait. Opaque:
/// look one up with [`waiter`] and run it with [`Cloud::wait`].
#[derive(Debug, Clone, Copy)]
pub struct WaiterSpec {
    /// boto3's name for `get_waiter` (`image_available`).
    pub(crate) name: &'static str,
    /// botocore's name, used in messages (`ImageAvailable`).
    pub(crate) title: &'static str,
    pub(crate) service: &'static str,
    pub(crate) method: &'static str,
    /// Seconds between polls, botocore's `delay`.
    pub(crate) delay: u64,
    /// Polls before giving up, botocore's `maxAttempts`.
    pub(crate) max_attempts: u32,
    pub(crate) acceptors: &'static [Acceptor],
}

impl WaiterSpec {
    /// The paths the acceptors read, in order, without repeats.
    fn paths(&self) -> Vec<&'static str> {
        let mut paths = Vec::new();
        for a in self.acceptors {
            let path = match a.matcher {
                Matcher::PathAll(p, _)
                | Matcher::PathAny(p, _)
                | Matcher::Path(p, _)
                | Matcher::NotEmpty(p) => p,
                Matcher::Error(_) => continue,
            };
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
        paths
    }
}

const fn ok(matcher: Matcher) -> Acceptor {
    Acceptor {
        matcher,
        outcome: Outcome::Success,
    }
}
const fn fail(matcher: Matcher) -> Acceptor {
    Acceptor {
        matcher,
        outcome: Outcome::Failure,
    }
}
const fn retry(matcher: Matcher) -> Acceptor {
    Acceptor {
        matcher,
        outcome: Outcome::Retry,
    }
}

const INSTANCE_STATE: &str = "reservations[].instances[].state.name";

/// Every waiter, with botocore's names, operations, delays, attempt counts and acceptors
/// (botocore's `ec2/2016-11-15/waiters-2.json` and `ssm/2014-11-06/waiters-2.json`).
pub(crate) static WAITERS: &[WaiterSpec] = &[
    WaiterSpec {
        name: "instance_exists",
        title: "InstanceExists",
        service: "ec2",
        method: "describe_instances",
        delay: 5,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::NotEmpty("reservations[]")),
            retry(Matcher::Error("InvalidInstanceID.NotFound")),
        ],
    },
    WaiterSpec {
        name: "instance_running",
        title: "InstanceRunning",
        service: "ec2",
        method: "describe_instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::PathAll(INSTANCE_STATE, "running")),
            fail(Matcher::PathAny(INSTANCE_STATE, "shutting-down")),
            fail(Matcher::PathAny(INSTANCE_STATE, "terminated")),
            fail(Matcher::PathAny(INSTANCE_STATE, "stopping")),
            retry(Matcher::Error("InvalidInstanceID.NotFound")),
        ],
    },
    WaiterSpec {
        name: "instance_stopped",
        title: "InstanceStopped",
        service: "ec2",
        method: "describe_instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::PathAll(INSTANCE_STATE, "stopped")),
            fail(Matcher::PathAny(INSTANCE_STATE, "pending")),
            fail(Matcher::PathAny(INSTANCE_STATE, "terminated")),
        ],
    },
    WaiterSpec {
        name: "instance_terminated",
        title: "InstanceTerminated",
        service: "ec2",
        method: "describe_instances",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::PathAll(INSTANCE_STATE, "terminated")),
            fail(Matcher::PathAny(INSTANCE_STATE, "pending")),
            fail(Matcher::PathAny(INSTANCE_STATE, "stopping")),
        ],
    },
    WaiterSpec {
        name: "image_available",
        title: "ImageAvailable",
        service: "ec2",
        method: "describe_images",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::PathAll("images[].state", "available")),
            fail(Matcher::PathAny("images[].state", "failed")),
        ],
    },
    WaiterSpec {
        name: "image_exists",
        title: "ImageExists",
        service: "ec2",
        method: "describe_images",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::NotEmpty("images[]")),
            retry(Matcher::Error("InvalidAMIID.NotFound")),
        ],
    },
    WaiterSpec {
        name: "snapshot_completed",
        title: "SnapshotCompleted",
        service: "ec2",
        method: "describe_snapshots",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::PathAll("snapshots[].state", "completed")),
            fail(Matcher::PathAny("snapshots[].state", "error")),
        ],
    },
    WaiterSpec {
        name: "volume_available",
        title: "VolumeAvailable",
        service: "ec2",
        method: "describe_volumes",
        delay: 15,
        max_attempts: 40,
        acceptors: &[
            ok(Matcher::PathAll("volumes[].state", "available")),
            fail(Matcher::PathAny("volumes[].state", "deleted")),
        ],
    },
    WaiterSpec {
        name: "command_executed",
        title: "CommandExecuted",
        service: "ssm",
        method: "get_command_invocation",
        delay: 5,
        max_attempts: 20,
        acceptors: &[
            retry(Matcher::Path("status", "Pending")),
            retry(Matcher::Path("status", "InProgress")),
            retry(Matcher::Path("status", "Delayed")),
            ok(Matcher::Path("status", "Success")),
            fail(Matcher::Path("status", "Cancelled")),
            fail(Matcher::Path("status", "TimedOut")),
            fail(Matcher::Path("status", "Failed")),
            fail(Matcher::Path("status", "Cancelling")),
            retry(Matcher::Error("InvocationDoesNotExist")),
        ],
    },
    // botocore's `imagebuilder/2019-12-02/waiters-2.json`.
    WaiterSpec {
        name: "image_available",
        title: "ImageAvailable",
        service: "imagebuilder",
        method: "get_image",
        delay: 60,
        max_attempts: 360,
        acceptors: &[
            ok(Matcher::Path("image.state.status", "AVAILABLE")),
            fail(Matcher::Path("image.state.status", "FAILED")),
            fail(Matcher::Path("image.state.status", "CANCELLED")),
        ],
    },
];

impl WaiterSpec {
    /// boto3's name (`image_available`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// botocore's name, used in messages (`ImageAvailable`).
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// The boto3 method it polls (`describe_images`).
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// Simulated seconds between polls, botocore's `delay`.
    pub fn delay(&self) -> u64 {
        self.delay
    }

    /// Polls before it gives up, botocore's `maxAttempts`.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
}

/// The waiter boto3 calls `name` for `service` (`("ec2", "image_available")`), or `None`. The
/// simulation has botocore's `instance_exists`, `instance_running`, `instance_stopped`,
/// `instance_terminated`, `image_available`, `image_exists`, `snapshot_completed` and
/// `volume_available` for EC2, and `command_executed` for SSM.
pub fn waiter(service: &str, name: &str) -> Option<&'static WaiterSpec> {
    WAITERS
        .iter()
        .find(|w| w.service == service && w.name == name)
}

/// The waiter names of `service` in table order; empty for a service without waiters.
pub fn waiter_names(service: &str) -> Vec<&'static str> {
    WAITERS
        .iter()
        .filter(|w| w.service == service)
        .map(|w| w.name)
        .collect()
}

/// The values a dotted path with `[]` flattening selects (a tiny JMESPath subset).
pub(crate) fn select<'a>(value: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![value];
    for segment in path.split('.') {
        let (key, flatten) = match segment.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (segment, false),
        };
        let mut next = Vec::new();
        for v in current {
            if let Some(child) = v.get(key) {
                match (flatten, child) {
                    (true, Value::Array(items)) => next.extend(items.iter()),
                    (true, _) => {}
                    (false, c) => next.push(c),
                }
            }
        }
        current = next;
    }
    current
}

fn matches(matcher: &Matcher, result: &Result<Value, CallError>) -> bool {
    match (matcher, result) {
        (Matcher::Error(code), Err(CallError::Aws(e))) => e.code == *code,
        (Matcher::Error(_), _) | (_, Err(_)) => false,
        (Matcher::PathAll(path, expected), Ok(v)) => {
            let values = select(v, path);
            !values.is_empty() && values.iter().all(|x| x.as_str() == Some(expected))
        }
        (Matcher::PathAny(path, expected), Ok(v)) => {
            select(v, path).iter().any(|x| x.as_str() == Some(expected))
        }
        (Matcher::Path(path, expected), Ok(v)) => {
            select(v, path).first().and_then(|x| x.as_str()) == Some(expected)
        }
        (Matcher::NotEmpty(path), Ok(v)) => !select(v, path).is_empty(),
    }
}

/// Overrides of a waiter's delay and attempts (boto3's `WaiterConfig`).
#[derive(Debug, Clone, Copy, Default)]
pub struct WaiterConfig {
    /// Seconds between polls instead of the waiter's own (boto3's `Delay`).
    pub delay: Option<u64>,
    /// Polls instead of the waiter's own count (boto3's `MaxAttempts`); 0 counts as 1.
    pub max_attempts: Option<u32>,
}

impl Cloud {
    /// Runs a waiter to its end. Every poll is a real call (on the trail); time advances by
    /// the delay between polls.
    ///
    /// Errors: [`CallError::Param`] when the poll's parameters are refused; otherwise
    /// [`CallError::Waiter`] with boto3's `WaiterError` wording when a failure acceptor matches,
    /// when a poll fails with an error no acceptor expects, or when the attempts run out.
    pub fn wait(
        &mut self,
        caller: &Caller,
        spec: &WaiterSpec,
        params: Value,
        config: WaiterConfig,
    ) -> Result<(), CallError> {
        self.wait_as(Client::Boto3, caller, spec, params, config)
    }

    /// [`Cloud::wait`] made by `client`: its polls are on the trail with that client's user
    /// agent (`aws ec2 wait image-available`).
    pub fn wait_as(
        &mut self,
        client: Client,
        caller: &Caller,
        spec: &WaiterSpec,
        params: Value,
        config: WaiterConfig,
    ) -> Result<(), CallError> {
        let delay = config.delay.unwrap_or(spec.delay);
        let attempts = config.max_attempts.unwrap_or(spec.max_attempts).max(1);
        // botocore's `last_matched_acceptor`: named when the attempts run out.
        let mut last_accepted: Option<&Acceptor> = None;
        // Each poll's answer holds only what the acceptors read: encoding whole answers was
        // most of a poll's cost (BENCHMARKS.md, "Speed per submission").
        let paths = spec.paths();
        for attempt in 1..=attempts {
            // The acceptors read boto3's keys, whoever waits.
            let result = self.call_encoded(
                client,
                Encoding::Pruned(&paths),
                caller,
                spec.service,
                spec.method,
                params.clone(),
            );
            if let Err(CallError::Param(_)) = result {
                return result.map(|_| ());
            }
            let accepted = spec.acceptors.iter().find(|a| matches(&a.matcher, &result));
            if accepted.is_some() {
                last_accepted = accepted;
            }
            match (accepted.map(|a| a.outcome), &result) {
                (Some(Outcome::Success), _) => return Ok(()),
                (Some(Outcome::Failure), _) => {
                    let reason = accepted.map_or(String::new(), |a| explanation(spec, a));
                    return Err(CallError::Waiter(format!(
                        "Waiter {} failed: Waiter encountered a terminal failure state: {reason}",
                        spec.title
                    )));
                }
                (None, Err(CallError::Aws(e))) => {
                    return Err(CallError::Waiter(format!(
                        "Waiter {} failed: An error occurred ({}): {}",
                        spec.title, e.code, e.message
                    )))
                }
                _ => {}
            }
            if attempt < attempts {
                self.advance(delay);
            }
        }
        Err(CallError::Waiter(match last_accepted {
            None => format!("Waiter {} failed: Max attempts exceeded", spec.title),
            Some(a) => format!(
                "Waiter {} failed: Max attempts exceeded. Previously accepted state: {}",
                spec.title,
                explanation(spec, a)
            ),
        }))
    }
}

/// botocore's `AcceptorConfig.explanation`: what an acceptor matched, with the waiter model's
/// expression (the API's member names: `Reservations[].Instances[].State.Name`).
fn explanation(spec: &WaiterSpec, acceptor: &Acceptor) -> String {
    let expression = |path: &str| crate::naming::wire_path(spec.service, path);
    match acceptor.matcher {
        Matcher::Path(p, e) => format!(
            "For expression \"{}\" we matched expected path: \"{e}\"",
            expression(p)
        ),
        Matcher::PathAll(p, e) => format!(
            "For expression \"{}\" all members matched expected path: \"{e}\"",
            expression(p)
        ),
        Matcher::PathAny(p, e) => format!(
            "For expression \"{}\" we matched expected path: \"{e}\" at least once",
            expression(p)
        ),
        Matcher::NotEmpty(p) => format!(
            "For expression \"length({}) > `0`\" we matched expected path: \"true\"",
            expression(p)
        ),
        Matcher::Error(code) => format!("Matched expected service error code: {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_flattened_paths() {
        let v = json!({"reservations": [
            {"instances": [{"state": {"name": "running"}}, {"state": {"name": "pending"}}]},
            {"instances": [{"state": {"name": "running"}}]}
        ]});
        let names: Vec<_> = select(&v, INSTANCE_STATE)
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["running", "pending", "running"]);
        assert_eq!(select(&v, "reservations[]").len(), 2);
        assert!(select(&v, "missing[]").is_empty());
    }

    #[test]
    fn path_all_needs_at_least_one_value() {
        let empty = Ok(json!({"images": []}));
        assert!(!matches(
            &Matcher::PathAll("images[].state", "available"),
            &empty
        ));
        let ready = Ok(json!({"images": [{"state": "available"}]}));
        assert!(matches(
            &Matcher::PathAll("images[].state", "available"),
            &ready
        ));
    }

    #[test]
    fn botocore_delays_and_attempts() {
        let w = waiter("ec2", "instance_running").unwrap();
        assert_eq!((w.delay, w.max_attempts), (15, 40));
        let w = waiter("ssm", "command_executed").unwrap();
        assert_eq!((w.delay, w.max_attempts), (5, 20));
        assert!(waiter("ec2", "command_executed").is_none());
    }
}
