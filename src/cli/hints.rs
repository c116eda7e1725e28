//! Teaching hints shown under an uncaught error: AWS's message stays exact, and a line of
//! `help:` says what usually causes it, using what the simulation knows.

use crate::script::{Failure, FailureKind};
use amilab_cloud::Cloud;

/// A hint for the failure, if there is a useful one.
pub fn hint(failure: &Failure, cloud: &Cloud) -> Option<String> {
    let code = failure.code.as_deref()?;
    match code {
        "InvalidAMIID.NotFound" => image_elsewhere(&failure.message, cloud),
        "InvalidAMIName.Duplicate" => Some(
            "image names are unique per account and region: version them (web-v2) or deregister the old image first".into(),
        ),
        "InvalidAMIID.Unavailable" if failure.message.contains("pending") => Some(
            "wait for the image first: ec2.get_waiter(\"image_available\").wait(#{image_ids: [id]})".into(),
        ),
        "IncorrectInstanceState" if failure.message.contains("never reached") => Some(
            "wait for the instance first: ec2.get_waiter(\"instance_running\").wait(#{instance_ids: [id]})".into(),
        ),
        "InvalidParameterValue" if failure.message.contains("architecture") => Some(
            "Graviton types (t4g, m6g, m7g, c6g, …) are arm64; most others are x86_64. Pick an image and a type of the same architecture".into(),
        ),
        "InvalidParameterCombination" if failure.message.contains("Virtualization type 'hvm'") => Some(
            "paravirtual (PV) images run only on old types such as t1.micro, m1.small or m3.medium; use an HVM image on current types".into(),
        ),
        "UnsupportedOperation" if failure.message.contains("instance-store root device") => Some(
            "instance store-backed images boot only on types with instance-store roots (m1, m3, c1, c3, …); EBS-backed images run everywhere".into(),
        ),
        "DryRunOperation" => Some(
            "with dry_run: true, this error means the call would have succeeded; catch it with try/catch".into(),
        ),
        _ => None,
    }
}

/// `The image id '[ami-…]' does not exist`: the image exists, but in another region, or in this
/// one for an account it is not shared with. The failure does not say which region or account
/// called, so a private image gets both causes.
fn image_elsewhere(message: &str, cloud: &Cloud) -> Option<String> {
    let start = message.find("'[")? + 2;
    let end = message[start..].find(']')? + start;
    let id = message[start..end].split(", ").next()?;
    let (region, image) = cloud.region_names().find_map(|r| {
        cloud
            .region(r)
            .and_then(|s| s.image(id))
            .filter(|i| i.is_registered())
            .map(|i| (r, i))
    })?;
    let copy = format!(
        "Copy it with client(\"ec2\", DESTINATION).copy_image(#{{source_image_id: \"{id}\", source_region: \"{region}\", name: ...}}) and use the copy's id"
    );
    if image.launch_permissions.public {
        return Some(format!(
            "{id} exists in {region}: image ids belong to one region. {copy}"
        ));
    }
    Some(format!(
        "{id} exists in {region}, owned by {owner} and not public. Called from another region? Image ids belong to one region. {copy}. Called as another account? The owner must share it first: modify_image_attribute(#{{image_id: \"{id}\", launch_permission: #{{add: [#{{user_id: ACCOUNT}}]}}}})",
        owner = image.owner_id
    ))
}

/// The built-in lab whose starter file name `path` has (`first-golden-image.rhai`).
pub fn lab_of_file(path: &std::path::Path) -> Option<&'static str> {
    let stem = path.file_stem()?.to_str()?;
    crate::lab::BUILTIN
        .iter()
        .map(|b| b.id)
        .find(|id| *id == stem)
}

/// A script run outside its lab that stopped on a lab variable (`params`, `accounts`), or a
/// failing script named after a lab (`first-golden-image.rhai` finds nothing in the default
/// world): say how to run it in its lab.
pub fn lab_script(failure: &Failure, script: &std::path::Path) -> Option<String> {
    let reads_lab_variable = failure
        .message
        .split("Variable not found: ")
        .nth(1)
        .is_some_and(|rest| {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            matches!(name.as_str(), "params" | "accounts")
        });
    let named_lab = lab_of_file(script).filter(|_| failure.kind == FailureKind::Runtime);
    if !reads_lab_variable && named_lab.is_none() {
        return None;
    }
    let lab = named_lab.unwrap_or("<lab-id>");
    let mut help = format!(
        "this looks like a lab script: run it in its lab with `amilab run --lab {lab} {}`",
        script.display()
    );
    if lab == "<lab-id>" {
        help.push_str(" (see `amilab lab list`)");
    }
    Some(help)
}
