//! `aws ec2 authorize-security-group-ingress --group-id sg-… --protocol tcp --port 22 --cidr
//! 203.0.113.0/24`: the one rule the CLI builds from its simple options
//! (`awscli/customizations/ec2/secgroupsimplify.py`), in the request's `IpPermissions`.

use serde_json::{json, Map, Value};

use crate::options::RulePart;

/// Adds what `part`'s option says (`value`, as typed) to the single rule of the request's
/// `IpPermissions` (API member names), making the rule if it is not there yet.
///
/// Errors, in the CLI's words: the option cannot be combined with `--ip-permissions`, a
/// protocol that is not `tcp`, `udp`, `icmp`, `all` or a number from 0 to 255 (or -1), a port
/// that is not `N`, `N-M`, `-1` or `all`.
pub fn add(request: &mut Map<String, Value>, part: RulePart, value: &str) -> Result<(), String> {
    if request.contains_key("IpPermissions") && !is_built(request) {
        let option = match part {
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
    let rule = built_rule(request);
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

/// Marks the rule this module builds, so that a later simple option adds to it while an
/// `--ip-permissions` given by the user is not mixed with them.
const BUILT: &str = "\u{0}amilab-built";

fn is_built(request: &Map<String, Value>) -> bool {
    request.contains_key(BUILT)
}

fn built_rule(request: &mut Map<String, Value>) -> &mut Map<String, Value> {
    request.insert(BUILT.into(), Value::Bool(true));
    let permissions = request
        .entry("IpPermissions")
        .or_insert_with(|| json!([{}]));
    match permissions.get_mut(0) {
        Some(Value::Object(rule)) => rule,
        _ => unreachable!("the rule is made above as a list of one object"),
    }
}

/// Takes this module's mark off a finished request.
pub fn finish(request: &mut Map<String, Value>) {
    request.remove(BUILT);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_options_build_one_rule() {
        let mut request = Map::new();
        add(&mut request, RulePart::Protocol, "tcp").unwrap();
        add(&mut request, RulePart::Port, "8000-8080").unwrap();
        add(&mut request, RulePart::Cidr, "203.0.113.0/24").unwrap();
        finish(&mut request);
        assert_eq!(
            Value::Object(request),
            json!({"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8080,
                "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}]})
        );
        let mut request = Map::new();
        add(&mut request, RulePart::Protocol, "all").unwrap();
        add(&mut request, RulePart::SourceGroup, "sg-0123").unwrap();
        add(&mut request, RulePart::GroupOwner, "444455556666").unwrap();
        finish(&mut request);
        assert_eq!(
            request["IpPermissions"][0]["UserIdGroupPairs"],
            json!([{"GroupId": "sg-0123", "UserId": "444455556666"}])
        );
        assert_eq!(request["IpPermissions"][0]["IpProtocol"], "-1");
    }

    #[test]
    fn the_clis_refusals() {
        let mut request = Map::new();
        assert!(add(&mut request, RulePart::Port, "ssh")
            .unwrap_err()
            .starts_with("port parameter"));
        assert!(add(&mut request, RulePart::Protocol, "300").is_err());
        assert!(add(&mut request, RulePart::Protocol, "tcpx").is_err());
        let mut request = Map::new();
        request.insert("IpPermissions".into(), json!([]));
        assert_eq!(
            add(&mut request, RulePart::Port, "22").unwrap_err(),
            "The --port option is not compatible with the --ip-permissions option "
        );
    }
}
