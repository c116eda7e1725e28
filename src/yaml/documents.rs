//! The YAML reader the simulation borrows for documents it must read but may not parse itself
//! (the cloud crate depends on no YAML library): Image Builder component documents.

use serde_json::Value;

/// Reads a component document (YAML, of which JSON is a subset) into JSON values: the
/// `component_document_parser` every cloud the application builds is given
/// ([`amilab_cloud::WorldConfig::component_document_parser`]). The error is serde_yaml's
/// description, with the line and column where reading stopped.
pub fn component_document(text: &str) -> Result<Value, String> {
    serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_documents_become_json_values() {
        let text = "schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Install\n        action: ExecuteBash\n        inputs:\n          commands:\n            - dnf install -y nginx\n";
        assert_eq!(
            component_document(text).unwrap(),
            json!({"schemaVersion": 1.0, "phases": [{"name": "build", "steps": [{"name": "Install",
                "action": "ExecuteBash", "inputs": {"commands": ["dnf install -y nginx"]}}]}]})
        );
        let err = component_document("phases: [unclosed").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        // The simulation reads it through the hook.
        let doc =
            amilab_cloud::imagebuilder::document::parse(text, Some(component_document)).unwrap();
        assert_eq!(doc.phases[0].steps[0].commands, ["dnf install -y nginx"]);
    }
}
