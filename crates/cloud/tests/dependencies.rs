//! The simulation stays pure (DESIGN.md, "Layout"): `amilab-cloud`, `amilab-guest` and the AWS
//! CLI front end `amilab-awscli` (and the pictures of the cloud, `amilab-graph`) never depend, directly or through another crate, on the script engine, YAML, the command line,
//! terminal crates or the `amilab` package itself, and the guest never depends on the cloud.
//! Read from `cargo metadata`'s resolved graph, following normal dependencies only: dev- and
//! build-dependencies never reach the library (criterion, a dev-dependency, does use clap).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::process::Command;

use serde_json::{json, Value};

/// Packages neither simulation crate may reach.
const FORBIDDEN: &[&str] = &[
    "rhai",
    "yaml_serde",
    "serde_yaml",
    "clap",
    "inquire",
    "owo-colors",
    "crossterm",
    "amilab",
];

/// The resolved graph: package id → name, and package id → ids of its normal dependencies.
struct Graph {
    names: BTreeMap<String, String>,
    normal: BTreeMap<String, Vec<String>>,
    members: Vec<String>,
}

impl Graph {
    /// Reads `cargo metadata --format-version 1` output (`packages`, `workspace_members`,
    /// `resolve.nodes[].deps[].dep_kinds`, where a `kind` of `null` is a normal dependency).
    fn from_metadata(meta: &Value) -> Result<Graph, String> {
        let str_of = |v: &Value, what: &str| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("cargo metadata: {what} is not a string"))
        };
        let array = |v: &Value, what: &str| {
            v.as_array()
                .cloned()
                .ok_or_else(|| format!("cargo metadata: {what} is not an array"))
        };
        let mut names = BTreeMap::new();
        for p in array(&meta["packages"], "packages")? {
            names.insert(
                str_of(&p["id"], "packages[].id")?,
                str_of(&p["name"], "name")?,
            );
        }
        let mut normal = BTreeMap::new();
        for node in array(&meta["resolve"]["nodes"], "resolve.nodes")? {
            let mut deps = Vec::new();
            for dep in array(&node["deps"], "resolve.nodes[].deps")? {
                let kinds = array(&dep["dep_kinds"], "dep_kinds")?;
                if kinds.iter().any(|k| k["kind"].is_null()) {
                    deps.push(str_of(&dep["pkg"], "deps[].pkg")?);
                }
            }
            normal.insert(str_of(&node["id"], "resolve.nodes[].id")?, deps);
        }
        let members = array(&meta["workspace_members"], "workspace_members")?
            .iter()
            .map(|m| str_of(m, "workspace_members[]"))
            .collect::<Result<_, _>>()?;
        Ok(Graph {
            names,
            normal,
            members,
        })
    }

    fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }

    /// For every package named in `forbidden` that workspace member `from` reaches through
    /// normal dependencies, the shortest such path, as `a -> b -> c`. Sorted.
    fn offending_paths(&self, from: &str, forbidden: &[&str]) -> Result<Vec<String>, String> {
        let start = self
            .members
            .iter()
            .find(|id| self.name(id) == from)
            .ok_or_else(|| format!("`{from}` is not a member of the workspace"))?;
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut seen = BTreeSet::from([start.as_str()]);
        let mut queue = VecDeque::from([start.as_str()]);
        let mut found = Vec::new();
        while let Some(id) = queue.pop_front() {
            if id != start && forbidden.contains(&self.name(id)) {
                let mut path = vec![self.name(id)];
                let mut at = id;
                while let Some(up) = parent.get(at) {
                    path.push(self.name(up));
                    at = up;
                }
                path.reverse();
                found.push(path.join(" -> "));
            }
            for dep in self.normal.get(id).into_iter().flatten() {
                if seen.insert(dep) {
                    parent.insert(dep, id);
                    queue.push_back(dep);
                }
            }
        }
        found.sort();
        Ok(found)
    }
}

fn cargo_metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(&cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("could not run `{cargo} metadata`: {e}"));
    assert!(
        out.status.success(),
        "`{cargo} metadata` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// Every rule broken in this graph, one line per offending path.
fn violations(graph: &Graph) -> Result<Vec<String>, String> {
    let mut broken = Vec::new();
    // The AWS CLI front end is held to the same rule: it prints text, and the terminal is the
    // `amilab` binary's.
    // The pictures of the cloud too: a library of plain data and text.
    for krate in [
        "amilab-cloud",
        "amilab-guest",
        "amilab-awscli",
        "amilab-graph",
    ] {
        broken.extend(graph.offending_paths(krate, FORBIDDEN)?);
    }
    broken.extend(graph.offending_paths("amilab-guest", &["amilab-cloud"])?);
    Ok(broken)
}

#[test]
fn the_simulation_crates_reach_no_forbidden_dependency() {
    let graph = Graph::from_metadata(&cargo_metadata()).unwrap_or_else(|e| panic!("{e}"));
    let broken = violations(&graph).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        broken.is_empty(),
        "the simulation crates must stay free of the script engine, YAML, CLI and terminal \
         crates, and the guest of the cloud; forbidden dependency paths:\n  {}",
        broken.join("\n  ")
    );
}

// The checker itself, on small hand-made graphs.

fn package(name: &str) -> Value {
    json!({"id": format!("{name}-id"), "name": name})
}

fn node(name: &str, deps: &[(&str, Value)]) -> Value {
    let deps: Vec<Value> = deps
        .iter()
        .map(|(d, kind)| {
            json!({"name": d, "pkg": format!("{d}-id"), "dep_kinds": [{"kind": kind, "target": null}]})
        })
        .collect();
    json!({"id": format!("{name}-id"), "deps": deps})
}

/// A workspace of `nodes` (plus an AWS CLI front end and a graph crate that depend on nothing,
/// unless `nodes` has them), every package of `all` known.
fn graph(mut nodes: Vec<Value>, all: &[&str]) -> Graph {
    for front in ["amilab-awscli", "amilab-graph"] {
        if !nodes.iter().any(|n| n["id"] == format!("{front}-id")) {
            nodes.push(node(front, &[]));
        }
    }
    let mut packages: Vec<Value> = all.iter().map(|n| package(n)).collect();
    packages.push(package("amilab-awscli"));
    packages.push(package("amilab-graph"));
    let meta = json!({
        "packages": packages,
        "workspace_members": ["amilab-cloud-id", "amilab-guest-id", "amilab-awscli-id", "amilab-graph-id", "amilab-id"],
        "resolve": {"nodes": nodes, "root": null},
    });
    Graph::from_metadata(&meta).expect("well-formed")
}

const NAMES: &[&str] = &[
    "amilab",
    "amilab-cloud",
    "amilab-guest",
    "regex",
    "criterion",
    "clap",
    "helper",
    "owo-colors",
    "build-tool",
];

#[test]
fn a_transitive_normal_dependency_is_named_with_its_path() {
    let g = graph(
        vec![
            node("amilab-cloud", &[("amilab-guest", Value::Null)]),
            node(
                "amilab-guest",
                &[("regex", Value::Null), ("helper", Value::Null)],
            ),
            node("helper", &[("owo-colors", Value::Null)]),
            node("regex", &[]),
            node("owo-colors", &[]),
        ],
        NAMES,
    );
    assert_eq!(
        violations(&g).unwrap(),
        vec![
            "amilab-cloud -> amilab-guest -> helper -> owo-colors",
            "amilab-guest -> helper -> owo-colors",
        ]
    );
}

#[test]
fn dev_and_build_dependencies_do_not_count() {
    let g = graph(
        vec![
            node(
                "amilab-cloud",
                &[
                    ("amilab-guest", Value::Null),
                    ("criterion", json!("dev")),
                    ("build-tool", json!("build")),
                ],
            ),
            node("amilab-guest", &[]),
            node("criterion", &[("clap", Value::Null)]),
            node("build-tool", &[("clap", Value::Null)]),
            node("clap", &[]),
        ],
        NAMES,
    );
    assert_eq!(violations(&g).unwrap(), Vec::<String>::new());
}

#[test]
fn the_guest_may_not_depend_on_the_cloud_nor_anything_on_the_root_package() {
    let g = graph(
        vec![
            node("amilab-cloud", &[("amilab", Value::Null)]),
            node("amilab-guest", &[("amilab-cloud", Value::Null)]),
            node("amilab", &[]),
        ],
        NAMES,
    );
    assert_eq!(
        violations(&g).unwrap(),
        vec![
            "amilab-cloud -> amilab",
            "amilab-guest -> amilab-cloud -> amilab",
            "amilab-guest -> amilab-cloud",
        ]
    );
}

#[test]
fn a_missing_member_or_malformed_metadata_is_an_error_not_a_pass() {
    let g = graph(vec![node("amilab-cloud", &[])], &["amilab-cloud"]);
    assert_eq!(
        g.offending_paths("amilab-guest", FORBIDDEN),
        Err("`amilab-guest` is not a member of the workspace".to_string())
    );
    assert!(Graph::from_metadata(&json!({"packages": 3})).is_err());
}
