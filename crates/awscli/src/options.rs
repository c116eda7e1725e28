//! An operation's options as the AWS CLI names them: one `--kebab-case` option per input member
//! (botocore's `xform_name(name, '-')`), booleans as a `--flag` / `--no-flag` pair, and the
//! CLI's own customizations of the simulated commands (`aws ec2 run-instances --count`,
//! `aws ec2 create-image --reboot`, `aws ec2 authorize-security-group-ingress --port 22`), as
//! `awscli/arguments.py`, `awscli/customizations/argrename.py`, `…/toplevelbool.py`,
//! `…/ec2/addcount.py`, `…/ec2/secgroupsimplify.py` and `…/ec2/runinstances.py` define them.

use amilab_cloud::api::OperationSpec;

use crate::model::input_shape;
use crate::shape::{Member, Shape};

/// What an option stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// An input member, its value the words after the option.
    Member(Member),
    /// A boolean member: `--flag` sets it to `true`, the `negative` option to `false`.
    Flag {
        /// The member.
        member: Member,
        /// The option that sets it to `false` (`no-dry-run`; `reboot` for `--no-reboot`).
        negative: String,
    },
    /// `aws ec2 run-instances --count N` or `--count MIN:MAX`, which sets `MinCount` and
    /// `MaxCount` (both 1 without it).
    Count,
    /// An EC2 structure whose one member is a boolean `Value` (`--ebs-optimized`), pulled up
    /// to a flag (`toplevelbool.py`): `--flag` alone is `{"Value": true}`, `--flag VALUE`
    /// takes the value as written, the negative option is `{"Value": false}`.
    ValueFlag {
        /// The structure member.
        member: Member,
        /// The option that sets it to `{"Value": false}`.
        negative: String,
    },
    /// One part of the single rule `aws ec2 authorize-security-group-ingress` builds from
    /// simple options (`secgroupsimplify.py`).
    Rule(RulePart),
    /// An option the CLI adds that sets a member the simulation does not simulate
    /// (`run-instances --associate-public-ip-address` sets `NetworkInterfaces`): refused as
    /// not simulated.
    NotSimulated {
        /// The member's boto3 key.
        member: &'static str,
    },
}

/// The simple options of a security group rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePart {
    /// `--protocol tcp|udp|icmp|all|NUMBER`.
    Protocol,
    /// `--port 22`, `--port 8000-8080`, `--port all`.
    Port,
    /// `--cidr 203.0.113.0/24`.
    Cidr,
    /// `--source-group sg-… | NAME`.
    SourceGroup,
    /// `--group-owner ACCOUNT`.
    GroupOwner,
}

/// One option of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    /// Its name without the leading `--` (`image-ids`).
    pub name: String,
    /// What it sets.
    pub kind: Kind,
}

impl Argument {
    /// The request must have it.
    pub fn required(&self) -> bool {
        match &self.kind {
            Kind::Member(m) => m.required,
            Kind::Flag { member, .. } | Kind::ValueFlag { member, .. } => member.required,
            Kind::Count | Kind::Rule(_) | Kind::NotSimulated { .. } => false,
        }
    }

    /// Its documentation, for `help`.
    pub fn documentation(&self) -> &str {
        match &self.kind {
            Kind::Member(m) | Kind::Flag { member: m, .. } | Kind::ValueFlag { member: m, .. } => {
                &m.documentation
            }
            Kind::Count => COUNT_DOCUMENTATION,
            Kind::Rule(RulePart::Protocol) => "The IP protocol: tcp | udp | icmp, or all for every protocol. Without --port, every port of the protocol.",
            Kind::Rule(RulePart::Port) => "For TCP or UDP: the range of ports to allow, a single integer or a range (min-max); all for every port.",
            Kind::Rule(RulePart::Cidr) => "The IPv4 address range, in CIDR format.",
            Kind::Rule(RulePart::SourceGroup) => "The name or ID of the source security group.",
            Kind::Rule(RulePart::GroupOwner) => "The AWS account ID that owns the source security group. Cannot be used when specifying a CIDR IP address.",
            Kind::NotSimulated { .. } => "Not simulated: amilab launches instances with their default network interface only.",
        }
    }
}

const COUNT_DOCUMENTATION: &str = "Number of instances to launch. If a single number is provided, \
it is assumed to be the minimum to launch (defaults to 1). If a range is provided in the form \
min:max then the first number is interpreted as the minimum number of instances to launch and \
the second is interpreted as the maximum number of instances to launch.";

/// botocore's `xform_name(name, '-')`: the member's boto3 key with dashes.
pub fn option_name(member: &Member) -> String {
    member.key.replace('_', "-")
}

/// The CLI's renames (`awscli/customizations/argrename.py`) of the simulated operations'
/// options: `(service, operation or "*", generated name, name the CLI shows)`.
const RENAMES: &[(&str, &str, &str, &str)] = &[
    ("ec2", "create-image", "no-no-reboot", "reboot"),
    (
        "ec2",
        "*",
        "no-disable-api-termination",
        "enable-api-termination",
    ),
    ("ec2", "*", "no-egress", "ingress"),
];

fn renamed(service: &str, command: &str, name: String) -> String {
    RENAMES
        .iter()
        .find(|(s, c, from, _)| *s == service && (*c == "*" || *c == command) && *from == name)
        .map_or(name, |(_, _, _, to)| to.to_string())
}

/// The CLI's command name for an operation (`describe-images`).
pub fn command_name(op: &OperationSpec) -> String {
    op.method().replace('_', "-")
}

/// Every option of `op`, in the order the operation declares its members.
pub fn arguments(op: &OperationSpec) -> Vec<Argument> {
    arguments_of(op, &input_shape(op))
}

/// [`arguments`] from the operation's input shape, already read ([`input_shape`]).
pub fn arguments_of(op: &OperationSpec, shape: &Shape) -> Vec<Argument> {
    let Shape::Structure(members) = shape.clone() else {
        return Vec::new();
    };
    let command = command_name(op);
    let count = op.service == "ec2" && op.name == "RunInstances";
    let rules = op.service == "ec2"
        && matches!(
            op.name,
            "AuthorizeSecurityGroupIngress" | "RevokeSecurityGroupIngress"
        );
    let mut out = Vec::new();
    for member in members {
        if count && (member.key == "min_count" || member.key == "max_count") {
            if member.key == "max_count" {
                out.push(Argument {
                    name: "count".into(),
                    kind: Kind::Count,
                });
            }
            continue;
        }
        let name = option_name(&member);
        let negative = || renamed(op.service, &command, format!("no-{name}"));
        let kind = if member.shape == Shape::Boolean {
            Kind::Flag {
                negative: negative(),
                member,
            }
        } else if op.service == "ec2" && is_boolean_value(&member.shape) {
            // toplevelbool.py makes the negative after argrename.py has run: never renamed.
            Kind::ValueFlag {
                negative: format!("no-{name}"),
                member,
            }
        } else {
            Kind::Member(member)
        };
        out.push(Argument { name, kind });
    }
    if rules {
        for (name, part) in [
            ("protocol", RulePart::Protocol),
            ("port", RulePart::Port),
            ("cidr", RulePart::Cidr),
            ("source-group", RulePart::SourceGroup),
            ("group-owner", RulePart::GroupOwner),
        ] {
            out.push(Argument {
                name: name.into(),
                kind: Kind::Rule(part),
            });
        }
    }
    if count && op.not_simulated().contains(&"network_interfaces") {
        for name in [
            "secondary-private-ip-addresses",
            "secondary-private-ip-address-count",
            "associate-public-ip-address",
            "no-associate-public-ip-address",
        ] {
            out.push(Argument {
                name: name.into(),
                kind: Kind::NotSimulated {
                    member: "network_interfaces",
                },
            });
        }
    }
    out
}

/// `structure(scalar)` with one boolean member `Value` (EC2's `AttributeBooleanValue`).
fn is_boolean_value(shape: &Shape) -> bool {
    matches!(shape, Shape::Structure(members)
        if members.len() == 1 && members[0].name == "Value" && members[0].shape == Shape::Boolean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use amilab_cloud::api::operation;

    fn names(service: &str, method: &str) -> Vec<String> {
        arguments(operation(service, method).unwrap())
            .into_iter()
            .map(|a| match a.kind {
                Kind::Flag { negative, .. } => format!("{}|{negative}", a.name),
                _ => a.name,
            })
            .collect()
    }

    #[test]
    fn the_seeds_options() {
        let create = names("ec2", "create_image");
        assert!(create.contains(&"instance-id".to_string()));
        assert!(create.contains(&"no-reboot|reboot".to_string()));
        assert!(create.contains(&"dry-run|no-dry-run".to_string()));
        let run = names("ec2", "run_instances");
        assert!(run.contains(&"count".to_string()));
        assert!(!run.contains(&"min-count".to_string()));
        assert!(run.contains(&"security-group-ids".to_string()));
        assert_eq!(
            command_name(operation("ec2", "copy_image").unwrap()),
            "copy-image"
        );
    }
}
