//! Validation shared by the image operations: ids, names, descriptions, tag types.

use super::*;

/// `Invalid id: "x" (expecting "ami-...")` for the first malformed image id.
pub(crate) fn check_image_id(id: &str) -> AwsResult<()> {
    crate::ids::check_well_formed(id, "ami", "InvalidAMIID.Malformed")
}

pub(crate) fn image_not_found(ids: &[&str]) -> AwsError {
    if ids.len() == 1 {
        AwsError::new(
            "InvalidAMIID.NotFound",
            format!("The image id '[{}]' does not exist", ids[0]),
        )
    } else {
        AwsError::new(
            "InvalidAMIID.NotFound",
            format!("The image ids '[{}]' do not exist", ids.join(", ")),
        )
    }
}

/// AMI names: 3–128 characters of letters, digits and `( ) [ ] space . / - ' @ _`.
pub(crate) fn check_image_name(name: &str) -> AwsResult<()> {
    let len = name.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "()[] ./-'@_".contains(c);
    if (3..=128).contains(&len) && name.chars().all(allowed) {
        Ok(())
    } else {
        Err(AwsError::new(
            "InvalidAMIName.Malformed",
            format!(
                "AMI name '{name}' is invalid. AMI names must be between 3 and 128 characters long, and may contain letters, numbers, spaces, and the characters ( ) [ ] . / - ' @ _ only."
            ),
        ))
    }
}

pub(super) fn check_description(description: Option<&str>) -> AwsResult<()> {
    match description {
        Some(d) if d.chars().count() > 255 => Err(AwsError::invalid_parameter_value(
            "The description must be at most 255 characters long.",
        )),
        _ => Ok(()),
    }
}

pub(super) const IMAGE_TAG_TYPES: &[&str] = &["image", "snapshot"];
