//! `aws ec2 authorize-security-group-ingress --group-id sg-… --protocol tcp --port 22 --cidr
//! 203.0.113.0/24`: the one rule the CLI builds from its simple options
//! (`awscli/customizations/ec2/secgroupsimplify.py`), in the request's `IpPermissions`.

use serde_json::{json, Map, Value};

use crate::options::RulePart;

/// The simple options given, in the order of the argument table (protocol, port, cidr,
/// source group, group owner), with their values as typed.
#[derive(Debug, Default)]
pub struct Rule {
    parts: Vec<(RulePart, String)>,
}

impl Rule {
    /// Records `part`'s option with its value.
    pub fn add(&mut self, part: RulePart, value: &str) {
        self.parts.push((part, value.to_string()));
    }

    /// Puts the rule in the request's `IpPermissions` (API member names), when any simple
    /// option was given.
    ///
    /// Errors, in the CLI's words and order (`_check_args` runs before any value is read): an
    /// option combined with `--ip-permissions`; a protocol that is not `tcp`, `udp`, `icmp`,
    /// `all` or a number from 0 to 255 (or -1); a port that is not `N`, `N-M`, `-1` or `all`.
    pub fn apply(self, request: &mut Map<String, Value>) -> Result<(), String> {
        let Some((first, _)) = self.parts.first() else {
            return Ok(());
        };
        if request.contains_key("IpPermissions") {
            let option = match first {
                RulePart::Protocol => "protocol",
                RulePart::Port => "port",
                RulePart::Cidr => "cidr",
                RulePart::SourceGroup => "source-group",
                RulePart::GroupOwner => "group-owner",
            };
            return Err(format!(
                "The --{option} option is not compatible with the --ip-permissions option "
            ));
        }
        let mut rule = Map::new();
        for (part, value) in &self.parts {
            set(&mut rule, *part, value)?;
        }
        request.insert(
            "IpPermissions".into(),
            Value::Array(vec![Value::Object(rule)]),
        );
        Ok(())
    }
}

/// Sets what one option says in the rule.
fn set(rule: &mut Map<String, Value>, part: RulePart, value: &str) -> Result<(), String> {
    match part {
        RulePart::Protocol => {
            let protocol = match value.parse::<i64>() {
                Ok(n) if (0..=255).contains(&n) || n == -1 => value.to_string(),
                Ok(_) => {
                    return Err(
                        "protocol numbers must be in the range 0-255 or -1 to specify all protocols"
                            .into(),
                    )
                }
                Err(_) => match value {
                    "tcp" | "udp" | "icmp" => value.to_string(),
                    "all" => "-1".to_string(),
                    _ => {
                        return Err("protocol parameter should be one of: tcp|udp|icmp|all or any valid protocol number.".into())
                    }
                },
            };
            rule.insert("IpProtocol".into(), Value::from(protocol));
        }
        RulePart::Port => {
            let (from, to) = match value {
                "-1" | "all" => ("-1", "-1"),
                _ => value.split_once('-').unwrap_or((value, value)),
            };
            let bad = || "port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)";
            let from: i64 = from.trim().parse().map_err(|_| bad())?;
            let to: i64 = to.trim().parse().map_err(|_| bad())?;
            rule.insert("FromPort".into(), from.into());
            rule.insert("ToPort".into(), to.into());
        }
        RulePart::Cidr => {
            rule.insert("IpRanges".into(), json!([{"CidrIp": value}]));
        }
        RulePart::SourceGroup | RulePart::GroupOwner => {
            let key = match part {
                RulePart::GroupOwner => "UserId",
                _ if value.starts_with("sg-") => "GroupId",
                _ => "GroupName",
            };
            let pairs = rule
                .entry("UserIdGroupPairs")
                .or_insert_with(|| json!([{}]));
            if let Some(Value::Object(pair)) = pairs.get_mut(0) {
                pair.insert(key.into(), Value::from(value));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(parts: &[(RulePart, &str)]) -> Result<Map<String, Value>, String> {
        let mut rule = Rule::default();
        for (part, value) in parts {
            rule.add(*part, value);
        }
        let mut request = Map::new();
        rule.apply(&mut request).map(|()| request)
    }

    #[test]
    fn simple_options_build_one_rule() {
        let request = built(&[
            (RulePart::Protocol, "tcp"),
            (RulePart::Port, "8000-8080"),
            (RulePart::Cidr, "203.0.113.0/24"),
        ])
        .unwrap();
        assert_eq!(
            Value::Object(request),
            json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8080,
                "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}]})
        );
        let request = built(&[
            (RulePart::Protocol, "all"),
            (RulePart::SourceGroup, "sg-0123"),
            (RulePart::GroupOwner, "444455556666"),
        ])
        .unwrap();
        assert_eq!(
            request["IpPermissions"][0]["UserIdGroupPairs"],
            json!([{"GroupId": "sg-0123", "UserId": "444455556666"}])
        );
        assert_eq!(request["IpPermissions"][0]["IpProtocol"], "-1");
        assert_eq!(built(&[]).unwrap(), Map::new());
    }

    #[test]
    fn the_clis_refusals() {
        assert!(built(&[(RulePart::Port, "ssh")])
            .unwrap_err()
            .starts_with("port parameter"));
        assert!(built(&[(RulePart::Protocol, "300")]).is_err());
        assert!(built(&[(RulePart::Protocol, "tcpx")]).is_err());
        // Combined with --ip-permissions: refused before any value is read.
        let mut rule = Rule::default();
        rule.add(RulePart::Port, "ssh");
        let mut request = Map::new();
        request.insert("IpPermissions".into(), json!([]));
        assert_eq!(
            rule.apply(&mut request).unwrap_err(),
            "The --port option is not compatible with the --ip-permissions option "
        );
    }
}
