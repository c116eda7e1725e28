//! Teaching hints shown under an uncaught error: AWS's message stays exact, and a line of
//! `help:` says what usually causes it, using what the simulation knows.

use crate::cloud::Cloud;
use crate::script::Failure;

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

/// `The image id '[ami-…]' does not exist`: is that image in another region?
fn image_elsewhere(message: &str, cloud: &Cloud) -> Option<String> {
    let start = message.find("'[")? + 2;
    let end = message[start..].find(']')? + start;
    let id = message[start..end].split(", ").next()?;
    let region = cloud.region_names().find(|r| {
        cloud
            .region(r)
            .is_some_and(|s| s.images.get(id).is_some_and(|i| i.is_registered()))
    })?;
    Some(format!(
        "{id} exists in {region}: image ids belong to one region. Copy it with client(\"ec2\", DESTINATION).copy_image(#{{source_image_id: \"{id}\", source_region: \"{region}\", name: ...}}) and use the copy's id"
    ))
}
