//! Component documents: the `data` of CreateComponent, read into phases of `ExecuteBash` steps.
//!
//! A document is YAML in AWS (JSON is valid YAML). The simulation may not depend on a YAML
//! library, so it reads documents through a [`DocumentParser`] that the embedding application
//! injects ([`crate::WorldConfig::component_document_parser`]); without one, only JSON documents
//! are understood, and a YAML document is refused with a message that says so.
//!
//! The shape checked (AWSTOE's "Component document schema and definitions" page in the Image
//! Builder user guide):
//!
//! ```yaml
//! name: web                       # optional
//! description: installs nginx     # optional
//! schemaVersion: 1.0              # required
//! phases:                         # required, at least one
//!   - name: build                 # build | validate | test, each at most once
//!     steps:                      # at least one
//!       - name: InstallNginx      # [A-Za-z0-9_-]+, unique within the phase
//!         action: ExecuteBash     # the one action simulated
//!         onFailure: Abort        # optional; only Abort (the default) is simulated
//!         inputs:
//!           commands: ["dnf install -y nginx"]
//! ```
//!
//! Every refusal is Image Builder's `InvalidParameterValueException` with its wording for a bad
//! member, "The value supplied for parameter 'data' is not valid." followed by the problem
//! (the wording reported in aws/aws-cdk#19909 and CloudSnorkel/cdk-github-runners#964: "Invalid
//! step name '…' in phase 'build'. Allowed characters are …", "Parsing step '…' in phase
//! 'build' failed.").

use serde_json::Value;

/// Reads a component document's text (YAML in AWS) into JSON values: the hook through which an
/// application that has a YAML library lets the simulation read YAML documents. Its error is a
/// one-line description of where the text is not valid.
pub type DocumentParser = fn(&str) -> Result<Value, String>;

/// The phases a document may have, in the order Image Builder runs them.
pub const PHASES: &[&str] = &["build", "validate", "test"];

/// The one step action simulated.
pub const EXECUTE_BASH: &str = "ExecuteBash";

/// Actions of AWSTOE's action modules that exist in AWS but are not simulated here: refused
/// with a message that says so, rather than as unknown.
const OTHER_ACTIONS: &[&str] = &[
    "Assert",
    "AppendFile",
    "CopyFile",
    "CopyFolder",
    "CreateFile",
    "CreateFolder",
    "CreateSymlink",
    "DeleteFile",
    "DeleteFolder",
    "ExecuteBinary",
    "ExecuteDocument",
    "ExecutePowerShell",
    "InstallMSI",
    "ListFiles",
    "MoveFile",
    "MoveFolder",
    "ReadFile",
    "Reboot",
    "S3Download",
    "S3Upload",
    "SetFileEncoding",
    "SetFileOwner",
    "SetFolderOwner",
    "SetFilePermissions",
    "SetFolderPermissions",
    "SetRegistry",
    "UninstallMSI",
    "UpdateOS",
    "WebDownload",
];

/// One `ExecuteBash` step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// The step's name (`InstallNginx`).
    pub name: String,
    /// The shell lines it runs, in order, as one script.
    pub commands: Vec<String>,
}

/// One phase of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Phase {
    /// `build`, `validate` or `test`.
    pub name: String,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

/// A component document, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Its phases, in document order.
    pub phases: Vec<Phase>,
}

impl Document {
    /// The phase called `name`, if the document has it.
    pub fn phase(&self, name: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.name == name)
    }

    /// `TEST` when the document has only a test phase, else `BUILD` (the component's `type`).
    pub fn component_type(&self) -> &'static str {
        if self.phases.iter().all(|p| p.name == "test") {
            "TEST"
        } else {
            "BUILD"
        }
    }
}

/// Reads and checks a document: JSON directly, anything else through `parser` when there is
/// one. The error is the text after "The value supplied for parameter 'data' is not valid. ".
pub fn parse(text: &str, parser: Option<DocumentParser>) -> Result<Document, String> {
    let value = match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(json_error) => match parser {
            Some(parse) => {
                parse(text).map_err(|e| format!("The document is not valid YAML: {e}"))?
            }
            None => {
                return Err(format!(
                    "The document is not valid JSON ({json_error}), and this cloud has no YAML \
                     reader: without one, amilab's simulation reads JSON component documents only \
                     (JSON is valid YAML)."
                ))
            }
        },
    };
    check(&value)
}

/// Checks a parsed document's shape (see the module documentation).
pub fn check(value: &Value) -> Result<Document, String> {
    let Some(top) = value.as_object() else {
        return Err("The document must be a map with 'schemaVersion' and 'phases'.".into());
    };
    for key in top.keys() {
        if ![
            "name",
            "description",
            "schemaVersion",
            "phases",
            "parameters",
            "constants",
        ]
        .contains(&key.as_str())
        {
            return Err(format!("Unknown top-level key '{key}'."));
        }
    }
    for key in ["parameters", "constants"] {
        if top.contains_key(key) {
            return Err(format!(
                "Document '{key}' are not simulated by amilab; write the values into the commands."
            ));
        }
    }
    match top.get("schemaVersion") {
        Some(Value::String(s)) if s == "1.0" => {}
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => {}
        Some(other) => return Err(format!("Unsupported schemaVersion {other}; use 1.0.")),
        None => return Err("The document has no 'schemaVersion' (use 1.0).".into()),
    }
    let Some(phases) = top.get("phases").and_then(Value::as_array) else {
        return Err("The document must have a list of 'phases'.".into());
    };
    if phases.is_empty() {
        return Err("The document must have at least one phase.".into());
    }
    let mut document = Document::default();
    for phase in phases {
        let name = phase
            .get("name")
            .and_then(Value::as_str)
            .ok_or("Every phase needs a 'name'.")?;
        if !PHASES.contains(&name) {
            return Err(format!(
                "Invalid phase name '{name}'. Valid phase names are build, validate and test."
            ));
        }
        if document.phase(name).is_some() {
            return Err(format!("Phase '{name}' appears more than once."));
        }
        let steps = phase
            .get("steps")
            .and_then(Value::as_array)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("Phase '{name}' must have a non-empty list of 'steps'."))?;
        let mut checked: Vec<Step> = Vec::new();
        for step in steps {
            let step = check_step(name, step)?;
            if checked.iter().any(|s| s.name == step.name) {
                return Err(format!(
                    "Step name '{}' in phase '{name}' is not unique.",
                    step.name
                ));
            }
            checked.push(step);
        }
        document.phases.push(Phase {
            name: name.to_string(),
            steps: checked,
        });
    }
    Ok(document)
}

fn check_step(phase: &str, step: &Value) -> Result<Step, String> {
    let name = step
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("Every step in phase '{phase}' needs a 'name'."))?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "Invalid step name '{name}' in phase '{phase}'. Allowed characters are combinations \
             of numbers [0-9], english letters [a-z,A-Z] and special characters [-_]."
        ));
    }
    let failed =
        |why: String| format!("Parsing step '{name}' in phase '{phase}' failed. Error: {why}");
    let action = step
        .get("action")
        .and_then(Value::as_str)
        .ok_or_else(|| failed("the step has no 'action'.".into()))?;
    if action != EXECUTE_BASH {
        return Err(failed(if OTHER_ACTIONS.contains(&action) {
            format!(
                "Action {action} is not simulated by amilab; only ExecuteBash steps are. \
                 Write it as shell commands."
            )
        } else {
            format!("Unknown action {action}.")
        }));
    }
    if let Some(on_failure) = step.get("onFailure") {
        if on_failure != "Abort" {
            return Err(failed(format!(
                "onFailure {on_failure} is not simulated by amilab; only Abort (the default) is."
            )));
        }
    }
    for key in step.as_object().map(|m| m.keys()).into_iter().flatten() {
        if !["name", "action", "inputs", "onFailure"].contains(&key.as_str()) {
            return Err(failed(format!("'{key}' is not simulated by amilab.")));
        }
    }
    let commands = step
        .get("inputs")
        .and_then(|i| i.get("commands"))
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            failed(
                "Action ExecuteBash requires 'inputs' with a non-empty list of 'commands'.".into(),
            )
        })?;
    let commands = commands
        .iter()
        .map(|c| match c {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(failed("every command must be a string.".into())),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Step {
        name: name.to_string(),
        commands,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(phases: Value) -> Value {
        json!({"schemaVersion": 1.0, "phases": phases})
    }

    fn bash(name: &str, commands: &[&str]) -> Value {
        json!({"name": name, "action": "ExecuteBash", "inputs": {"commands": commands}})
    }

    #[test]
    fn a_json_document_is_read_into_phases_of_steps() {
        let text = doc(json!([
            {"name": "build", "steps": [bash("Install", &["dnf install -y nginx"])]},
            {"name": "test", "steps": [bash("Check", &["systemctl is-active nginx"])]}
        ]))
        .to_string();
        let d = parse(&text, None).unwrap();
        assert_eq!(d.phases.len(), 2);
        assert_eq!(
            d.phase("build").unwrap().steps[0].commands,
            ["dnf install -y nginx"]
        );
        assert_eq!(d.component_type(), "BUILD");
        let only_test = doc(json!([{"name": "test", "steps": [bash("T", &["true"])]}]));
        assert_eq!(check(&only_test).unwrap().component_type(), "TEST");
    }

    #[test]
    fn yaml_needs_the_injected_parser() {
        let yaml = "schemaVersion: 1.0\nphases: []\n";
        let err = parse(yaml, None).unwrap_err();
        assert!(err.contains("JSON component documents only"), "{err}");
        fn fake(_: &str) -> Result<Value, String> {
            Ok(
                json!({"schemaVersion": "1.0", "phases": [{"name": "build", "steps": [
                {"name": "S", "action": "ExecuteBash", "inputs": {"commands": ["true"]}}]}]}),
            )
        }
        assert_eq!(parse(yaml, Some(fake)).unwrap().phases.len(), 1);
        fn broken(_: &str) -> Result<Value, String> {
            Err("line 2: bad indentation".into())
        }
        assert_eq!(
            parse(yaml, Some(broken)).unwrap_err(),
            "The document is not valid YAML: line 2: bad indentation"
        );
    }

    #[test]
    fn bad_documents_are_refused_with_a_reason() {
        let cases: Vec<(Value, &str)> = vec![
            (json!([1]), "must be a map"),
            (json!({"phases": []}), "no 'schemaVersion'"),
            (
                json!({"schemaVersion": 2.0, "phases": []}),
                "Unsupported schemaVersion",
            ),
            (doc(json!([])), "at least one phase"),
            (
                doc(json!([{"name": "deploy", "steps": [bash("a", &["true"])]}])),
                "Invalid phase name 'deploy'",
            ),
            (
                doc(json!([{"name": "build", "steps": []}])),
                "non-empty list of 'steps'",
            ),
            (
                doc(
                    json!([{"name": "build", "steps": [bash("a", &["true"])]}, {"name": "build", "steps": [bash("b", &["true"])]}]),
                ),
                "more than once",
            ),
            (
                doc(json!([{"name": "build", "steps": [bash("bad name", &["true"])]}])),
                "Invalid step name 'bad name' in phase 'build'",
            ),
            (
                doc(
                    json!([{"name": "build", "steps": [bash("a", &["true"]), bash("a", &["true"])]}]),
                ),
                "not unique",
            ),
            (
                doc(
                    json!([{"name": "build", "steps": [{"name": "D", "action": "S3Download", "inputs": []}]}]),
                ),
                "Action S3Download is not simulated",
            ),
            (
                doc(json!([{"name": "build", "steps": [{"name": "D", "action": "Teleport"}]}])),
                "Unknown action Teleport",
            ),
            (
                doc(
                    json!([{"name": "build", "steps": [{"name": "D", "action": "ExecuteBash", "inputs": {}}]}]),
                ),
                "requires 'inputs'",
            ),
            (
                doc(
                    json!([{"name": "build", "steps": [{"name": "D", "action": "ExecuteBash", "onFailure": "Continue", "inputs": {"commands": ["x"]}}]}]),
                ),
                "onFailure",
            ),
            (
                json!({"schemaVersion": 1.0, "parameters": [], "phases": []}),
                "'parameters' are not simulated",
            ),
        ];
        for (value, fragment) in cases {
            let err = check(&value).unwrap_err();
            assert!(err.contains(fragment), "{value}: {err}");
        }
    }
}
