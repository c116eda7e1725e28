//! Tests of the package catalogue: the integrity of the tables the program runs on, and the rules
//! and code generation that turn `data/packages.toml` into them.

use super::super::os::{
    OsFamily, OS_AL2, OS_AL2023, OS_LEGACY, OS_MODERN_RPM, OS_RHEL, OS_RPM, OS_SYSTEMD, OS_UBUNTU,
};
use super::super::paths::parent_of;
use super::data::{Catalog, FAMILIES, OS_GROUPS};
use super::table::CATALOG;
use super::*;

const LINUX: [OsFamily; 5] = [
    OsFamily::AmazonLinux2023,
    OsFamily::AmazonLinux2,
    OsFamily::Rhel,
    OsFamily::Ubuntu,
    OsFamily::LegacyLinux,
];

fn families_of(spec: &PackageSpec) -> impl Iterator<Item = OsFamily> + '_ {
    LINUX.into_iter().filter(|os| spec.oses & os.bit() != 0)
}

// ---- the tables the program runs on ----

#[test]
fn every_package_is_for_some_linux_family_and_listed_once_per_family() {
    let linux = OS_RPM | OS_UBUNTU;
    for spec in CATALOG {
        assert!(spec.oses != 0 && spec.oses & !linux == 0, "{}", spec.name);
        for os in families_of(spec) {
            // Look-ups take the first entry with the name: a second one would never be found.
            let found = spec_named(os, spec.name).map(|s| s as *const PackageSpec);
            assert_eq!(
                found,
                Some(spec as *const _),
                "{} twice for {os:?}",
                spec.name
            );
        }
    }
}

#[test]
fn every_dependency_resolves_on_every_family_of_its_package() {
    for spec in CATALOG {
        for os in families_of(spec) {
            for dep in spec.requires.iter().chain(spec.recommends) {
                assert!(
                    spec_named(os, dep).is_some(),
                    "{} on {os:?}: {dep} is missing",
                    spec.name
                );
            }
        }
    }
}

#[test]
fn every_base_system_package_exists() {
    for os in LINUX {
        let base = base_packages(os);
        assert!(
            base.contains(&"bash") && base.contains(&"coreutils"),
            "{os:?}"
        );
        for name in base {
            assert!(spec_named(os, name).is_some(), "{os:?}: {name}");
        }
    }
    assert!(base_packages(OsFamily::Windows).is_empty());
}

#[test]
fn topics_groups_and_name_lists_name_real_packages() {
    for (topic, names) in AL2_TOPICS {
        for name in *names {
            let spec = resolve_package(OsFamily::AmazonLinux2, name, Channel::Repo);
            assert!(spec.is_some(), "topic {topic}: {name}");
        }
    }
    for spec in CATALOG {
        if let Some(topic) = spec.al2_topic {
            assert!(AL2_TOPICS.iter().any(|(t, _)| *t == topic), "{}", spec.name);
        }
    }
    for (group, names) in PACKAGE_GROUPS {
        for os in LINUX.into_iter().filter(|os| !os.is_debian()) {
            for name in *names {
                assert!(
                    resolve_package(os, name, Channel::Repo).is_some(),
                    "{group}: {name}"
                );
            }
        }
    }
    for name in PROTECTED_PACKAGES {
        assert!(
            LINUX.iter().any(|&os| spec_named(os, name).is_some()),
            "{name}"
        );
    }
    for name in NO_INSTALL_CANDIDATE_UBUNTU {
        assert!(resolve_package(OsFamily::Ubuntu, name, Channel::Repo).is_none());
    }
}

#[test]
fn paths_the_commands_use_are_created_by_their_packages() {
    for os in [OsFamily::AmazonLinux2023, OsFamily::Ubuntu] {
        let agent = installed_spec(os, "amazon-cloudwatch-agent").expect("the agent exists");
        assert!(agent.dirs.contains(&parent_of(CLOUDWATCH_CONFIG)), "{os:?}");
    }
    let server = spec_named(OsFamily::AmazonLinux2023, "postgresql15-server").expect("exists");
    assert!(server.dirs.iter().any(|d| PG_VERSION_RPM.starts_with(d)));
}

#[test]
fn channels_and_versions_read_as_package_managers_print_them() {
    let agent = spec_named(OsFamily::Ubuntu, "amazon-ssm-agent").expect("exists");
    assert_eq!(agent.channel, Channel::Snap);
    let download = spec_named(OsFamily::Ubuntu, "amazon-cloudwatch-agent").expect("exists");
    assert_eq!(download.channel, Channel::Download);
    assert!(resolve_package(OsFamily::Ubuntu, "amazon-cloudwatch-agent", Channel::Repo).is_none());
    let nginx = spec_named(OsFamily::AmazonLinux2023, "nginx").expect("exists");
    assert_eq!(
        nginx.rpm_nevra(OsFamily::AmazonLinux2023),
        "nginx-1.24.0-1.amzn2023.x86_64"
    );
    assert_eq!(
        resolve_package(OsFamily::Rhel, "vim", Channel::Repo).map(|s| s.name),
        Some("vim-enhanced"),
        "provides"
    );
    let conf = nginx
        .files
        .iter()
        .find(|(path, _)| *path == "/etc/nginx/nginx.conf");
    assert!(conf.is_some_and(|(_, content)| content.starts_with("user nginx;\n")));
}

// ---- the data file's names agree with the code ----

#[test]
fn data_file_family_names_are_the_code_s_families() {
    let constants = [
        ("OS_AL2023", OS_AL2023),
        ("OS_AL2", OS_AL2),
        ("OS_RHEL", OS_RHEL),
        ("OS_UBUNTU", OS_UBUNTU),
        ("OS_LEGACY", OS_LEGACY),
    ];
    assert_eq!(FAMILIES.len(), LINUX.len());
    for (name, constant, variant) in FAMILIES {
        let os = LINUX
            .into_iter()
            .find(|os| format!("{os:?}") == variant)
            .unwrap_or_else(|| panic!("{variant} is no OsFamily"));
        let bit = constants
            .iter()
            .find(|(c, _)| *c == constant)
            .map(|(_, b)| *b);
        assert_eq!(bit, Some(os.bit()), "{name}");
    }
    let bits_of = |group: &str| {
        let (_, members) = OS_GROUPS
            .iter()
            .find(|(g, _)| *g == group)
            .expect("a group");
        members.iter().fold(0, |bits, member| {
            let (_, _, variant) = FAMILIES
                .iter()
                .find(|(n, _, _)| n == member)
                .expect("a family");
            let os = LINUX.into_iter().find(|os| format!("{os:?}") == *variant);
            bits | os.map_or(0, OsFamily::bit)
        })
    };
    assert_eq!(bits_of("modern-rpm"), OS_MODERN_RPM);
    assert_eq!(bits_of("rpm"), OS_RPM);
    assert_eq!(bits_of("systemd"), OS_SYSTEMD);
    assert_eq!(bits_of("linux"), OS_RPM | OS_UBUNTU);
    assert_eq!(bits_of("amazon"), OS_AL2023 | OS_AL2);
    assert_eq!(bits_of("dnf"), OS_AL2023 | OS_RHEL);
    assert!(OsFamily::ALL
        .iter()
        .all(|os| os.has_systemd() == (os.bit() & bits_of("systemd") != 0)));
}

// ---- the data file's rules ----

/// The smallest file that passes: one package, the base system of every family.
const MINIMAL: &str = r#"
[base]
al2023 = ["bash"]
al2 = ["bash"]
rhel = ["bash"]
ubuntu = ["bash"]
legacy = ["bash"]

[[package]]
name = "bash"
os = ["linux"]
version = "5.2.15"
summary = "The GNU Bourne Again shell"
"#;

/// MINIMAL with `extra` appended; the problems found, or an empty list.
fn problems(extra: &str) -> Vec<String> {
    Catalog::parse(&format!("{MINIMAL}{extra}"))
        .err()
        .unwrap_or_default()
}

fn one_problem(extra: &str) -> String {
    let problems = problems(extra);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems[0].clone()
}

#[test]
fn the_shipped_data_file_and_the_minimal_one_pass() {
    let shipped = Catalog::parse(include_str!("../../data/packages.toml"));
    assert!(shipped.is_ok(), "{:#?}", shipped.err());
    assert_eq!(problems(""), Vec::<String>::new());
}

#[test]
fn an_unknown_os_family_names_the_entry_and_the_known_names() {
    let problem = one_problem(
        "\n[[package]]\nname = \"nginx\"\nos = [\"rpm\", \"debian\"]\nversion = \"1\"\nsummary = \"s\"\n",
    );
    assert!(
        problem.starts_with("line 16: package \"nginx\""),
        "{problem}"
    );
    assert!(
        problem.contains("unknown OS family [\"debian\"]"),
        "{problem}"
    );
    assert!(
        problem.contains("al2023, al2, rhel, ubuntu, legacy"),
        "{problem}"
    );
    let empty =
        one_problem("\n[[package]]\nname = \"x\"\nos = []\nversion = \"1\"\nsummary = \"s\"\n");
    assert!(empty.contains("names no OS family"), "{empty}");
}

#[test]
fn a_dependency_must_exist_on_every_family_of_the_entry() {
    let problem = one_problem(
        r#"
[[package]]
name = "npm"
os = ["ubuntu", "al2023"]
version = "9"
summary = "s"
requires = ["nodejs"]

[[package]]
name = "nodejs"
os = ["ubuntu"]
version = "18"
summary = "s"
"#,
    );
    assert!(problem.contains("package \"npm\""), "{problem}");
    assert!(
        problem.ends_with("requires \"nodejs\", which names no package of al2023"),
        "{problem}"
    );
    let weak = one_problem(
        "\n[[package]]\nname = \"php\"\nos = [\"ubuntu\"]\nversion = \"8\"\nsummary = \"s\"\nrecommends = [\"apache2\"]\n",
    );
    assert!(weak.contains("recommends \"apache2\""), "{weak}");
}

#[test]
fn a_name_listed_twice_for_one_family_is_refused() {
    let problem = one_problem(
        "\n[[package]]\nname = \"bash\"\nos = [\"al2023\"]\nversion = \"5\"\nsummary = \"s\"\n",
    );
    assert!(
        problem.starts_with("line 16: package \"bash\" (os = [\"al2023\"])"),
        "{problem}"
    );
    assert!(
        problem.contains("listed twice for al2023 (see line 10: package \"bash\""),
        "{problem}"
    );
    let several = one_problem(
        "\n[[package]]\nname = \"bash\"\nos = [\"rpm\"]\nversion = \"5\"\nsummary = \"s\"\n",
    );
    assert!(
        several.contains("listed twice for al2023, al2, rhel, legacy (see line 10"),
        "{several}"
    );
    // The same name for other families is how one package differs per OS.
    let other_family = "\n[[package]]\nname = \"tree\"\nos = [\"rpm\"]\nversion = \"1\"\nsummary = \"s\"\n\n[[package]]\nname = \"tree\"\nos = [\"ubuntu\"]\nversion = \"2\"\nsummary = \"s\"\n";
    assert_eq!(problems(other_family), Vec::<String>::new());
}

#[test]
fn base_systems_name_packages_of_their_family_and_cover_every_family() {
    let text = MINIMAL.replace(
        "ubuntu = [\"bash\"]",
        "ubuntu = [\"bash\", \"nano\", \"bash\"]",
    );
    let problems = Catalog::parse(&text).err().unwrap_or_default();
    assert_eq!(
        problems,
        [
            "[base] ubuntu: \"nano\" names no package of ubuntu",
            "[base] ubuntu: \"bash\" is listed twice"
        ]
    );
    let text = MINIMAL.replace("legacy = [\"bash\"]", "rpm = [\"bash\"]");
    let problems = Catalog::parse(&text).err().unwrap_or_default();
    assert_eq!(
        problems,
        [
            "[base]: \"rpm\" is not an OS family (a base system is for one family)",
            "[base]: no base system for legacy"
        ]
    );
}

#[test]
fn misspelt_fields_and_unknown_channels_fail_with_the_line() {
    let typo = one_problem("\n[[package]]\nname = \"x\"\nos = [\"rpm\"]\nversion = \"1\"\nsummary = \"s\"\ncomands = [\"x\"]\n");
    assert!(
        typo.contains("line 20") && typo.contains("unknown field `comands`"),
        "{typo}"
    );
    let channel = one_problem("\n[[package]]\nname = \"x\"\nos = [\"rpm\"]\nversion = \"1\"\nsummary = \"s\"\nchannel = \"ppa\"\n");
    assert!(
        channel.contains("line 20") && channel.contains("ppa"),
        "{channel}"
    );
    let syntax = one_problem("\n[[package]\n");
    assert!(syntax.contains("line 15"), "{syntax}");
}

#[test]
fn fields_are_checked_one_by_one() {
    let entry = |fields: &str| {
        format!("\n[[package]]\nname = \"x\"\nos = [\"al2\"]\nversion = \"1\"\nsummary = \"s\"\n{fields}")
    };
    let cases = [
        (
            "al2_topic = \"nope\"",
            "al2_topic \"nope\" is not in [al2_topics]",
        ),
        ("dirs = [\"var/x\"]", "path \"var/x\" is not absolute"),
        (
            "\n[[package.files]]\npath = \"etc/x\"\ncontent = \"\"",
            "path \"etc/x\" is not absolute",
        ),
    ];
    for (fields, expected) in cases {
        let problem = one_problem(&entry(fields));
        assert!(problem.starts_with("line 16: package \"x\""), "{problem}");
        assert!(problem.ends_with(expected), "{problem}");
    }
    let blank = problems(
        "\n[[package]]\nname = \"a b\"\nos = [\"al2\"]\nversion = \"\"\nsummary = \" \"\n",
    );
    assert_eq!(blank.len(), 3, "{blank:#?}");
}

#[test]
fn topics_groups_and_name_lists_are_checked() {
    let cases = [
        ("protected = [\"glibc\"]\n", "protected: \"glibc\" names no package"),
        (
            "no_install_candidate = [\"bash\"]\n",
            "no_install_candidate: \"bash\" is an ubuntu package, which apt could then never install",
        ),
        ("[al2_topics]\nnginx1 = [\"nginx\"]\n", "[al2_topics] \"nginx1\": \"nginx\" names no al2 repository package"),
        (
            "[groups]\n\"Development-Tools\" = [\"bash\"]\n",
            "[groups] \"Development-Tools\": write group names in lower case, with spaces",
        ),
        (
            "[groups]\n\"development tools\" = [\"gcc\"]\n",
            "[groups] \"development tools\": \"gcc\" names no repository package of al2023, al2, rhel, legacy",
        ),
    ];
    for (head, expected) in cases {
        // Top-level keys and tables go before the first [[package]] (TOML's rule), so in front.
        let problems = Catalog::parse(&format!("{head}{MINIMAL}"))
            .err()
            .unwrap_or_default();
        assert_eq!(problems, [expected]);
    }
}

// ---- the Rust it becomes ----

#[test]
fn the_generated_rust_keeps_every_field_and_escapes_strings() {
    let text = format!(
        "{MINIMAL}{}",
        r#"
[[package]]
name = "nginx"
os = ["dnf", "ubuntu"]
version = "1.24.0"
summary = "say \"hi\""
channel = "snap"
commands = ["nginx"]
services = ["nginx"]
dirs = ["/var/log/nginx"]
requires = ["bash"]
provides = ["web"]
account = "nginx"

[[package.files]]
path = "/etc/nginx/nginx.conf"
content = '''
events {
	worker_connections 768;
}
'''
"#
    );
    let rust = Catalog::parse(&text).expect("valid").to_rust();
    let expected = r#"    PackageSpec { name: "nginx", oses: OS_AL2023 | OS_RHEL | OS_UBUNTU, version: "1.24.0", summary: "say \"hi\"", commands: &["nginx"], services: &["nginx"], files: &[("/etc/nginx/nginx.conf", "events {\n\tworker_connections 768;\n}\n")], dirs: &["/var/log/nginx"], requires: &["bash"], recommends: &[], provides: &["web"], account: Some("nginx"), group: None, al2_topic: None, channel: Channel::Snap },"#;
    assert!(rust.contains(expected), "{rust}");
    assert!(rust.contains("OsFamily::Ubuntu => &[\"bash\"],"), "{rust}");
    assert!(rust.contains("OsFamily::Windows => &[],"), "{rust}");
    assert!(
        rust.contains("pub(crate) const AL2_TOPICS: &[(&str, &[&str])] = &[];"),
        "{rust}"
    );
}

#[test]
fn the_build_output_is_the_shipped_data_file() {
    // build.rs reruns when the data file changes; this catches a stale or hand-edited output.
    let catalog = Catalog::parse(include_str!("../../data/packages.toml")).expect("valid");
    let built = include_str!(concat!(env!("OUT_DIR"), "/catalog.rs"));
    assert_eq!(catalog.to_rust(), built);
}
