//! Validation shared by the instance operations: ids, instance types, image compatibility.

use super::*;

pub(crate) fn check_instance_id(id: &str) -> AwsResult<()> {
    crate::ids::check_well_formed(id, "i", "InvalidInstanceID.Malformed")
}

pub(crate) fn instances_not_found(ids: &[&str]) -> AwsError {
    if ids.len() == 1 {
        AwsError::new(
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{}' does not exist", ids[0]),
        )
    } else {
        AwsError::new(
            "InvalidInstanceID.NotFound",
            format!("The instance IDs '{}' do not exist", ids.join(", ")),
        )
    }
}

pub(super) fn type_arch(t: &InstanceTypeInfo) -> Arch {
    *t.architectures().last().unwrap_or(&Arch::X86_64)
}

/// The three compatibility rules between an image and an instance type, in the order EC2
/// checks them.
pub(crate) fn check_compatible(
    image_id: &str,
    profile: &ImageProfile,
    t: &InstanceTypeInfo,
) -> AwsResult<()> {
    if !t.supports_arch(profile.architecture) {
        return Err(AwsError::invalid_parameter_value(format!(
            "The architecture '{}' of the specified instance type does not match the architecture '{}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
            type_arch(t).as_str(),
            profile.architecture.as_str()
        )));
    }
    if profile.virtualization == Virtualization::Paravirtual
        && !t.supports_virtualization(Virtualization::Paravirtual)
    {
        return Err(AwsError::invalid_parameter_combination(format!(
            "Virtualization type 'hvm' is required for instances of type '{}'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see Linux AMI virtualization types.",
            t.name
        )));
    }
    if profile.root_device == RootDevice::InstanceStore
        && !t.supports_root_device(RootDevice::InstanceStore)
    {
        return Err(AwsError::new(
            "UnsupportedOperation",
            format!(
                "AMI '{image_id}' with an instance-store root device is not supported for the instance type '{}'.",
                t.name
            ),
        ));
    }
    Ok(())
}

pub(super) fn unknown_instance_type(name: &str) -> AwsError {
    AwsError::invalid_parameter_value(format!(
        "The following supplied instance types do not exist: [{name}]"
    ))
}
