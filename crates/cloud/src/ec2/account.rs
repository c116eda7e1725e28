//! Account-level image settings: the block on new public sharing of AMIs.

use serde::Serialize;

use crate::error::{AwsError, AwsResult};
use crate::request::request;
use crate::{Caller, Cloud};

request! {
    /// Input of EC2 `EnableImageBlockPublicAccess`.
    pub struct EnableBlockInput {
        /// Must be `block-new-sharing`, the one state EC2 accepts.
        pub image_block_public_access_state: String,
        ..dry_run,
    }
}

request! {
    /// Input of an operation whose only member is `dry_run` (`DisableImageBlockPublicAccess`,
    /// `GetImageBlockPublicAccessState`).
    #[derive(Default)]
    pub struct DryRunOnly {
        ..dry_run,
    }
}

/// The answer of the image block public access operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockStateOutput {
    /// `block-new-sharing` while new public sharing of the account's AMIs is blocked in the region,
    /// `unblocked` otherwise.
    pub image_block_public_access_state: String,
}

impl Cloud {
    fn block_state(&self, caller: &Caller) -> BlockStateOutput {
        let blocked = self
            .image_public_access_blocked
            .contains(&(caller.account.clone(), caller.region.clone()));
        BlockStateOutput {
            image_block_public_access_state: if blocked {
                "block-new-sharing"
            } else {
                "unblocked"
            }
            .into(),
        }
    }

    /// EC2 `EnableImageBlockPublicAccess`: blocks new public sharing of the caller's AMIs in its
    /// region (images already public stay public).
    ///
    /// Errors: `InvalidParameterValue` for a state other than `block-new-sharing`.
    pub fn enable_image_block_public_access(
        &mut self,
        caller: &Caller,
        input: EnableBlockInput,
    ) -> AwsResult<BlockStateOutput> {
        if input.image_block_public_access_state != "block-new-sharing" {
            return Err(AwsError::invalid_parameter_value(format!(
                "Value ({}) for parameter ImageBlockPublicAccessState is invalid. Valid values: block-new-sharing",
                input.image_block_public_access_state
            )));
        }
        self.image_public_access_blocked
            .insert((caller.account.clone(), caller.region.clone()));
        Ok(self.block_state(caller))
    }

    /// EC2 `DisableImageBlockPublicAccess`: allows public sharing again in the caller's region.
    /// Never fails.
    pub fn disable_image_block_public_access(
        &mut self,
        caller: &Caller,
        _input: DryRunOnly,
    ) -> AwsResult<BlockStateOutput> {
        self.image_public_access_blocked
            .remove(&(caller.account.clone(), caller.region.clone()));
        Ok(self.block_state(caller))
    }

    /// EC2 `GetImageBlockPublicAccessState`: whether new public sharing is blocked in the caller's
    /// region. Never fails.
    pub fn get_image_block_public_access_state(
        &mut self,
        caller: &Caller,
        _input: DryRunOnly,
    ) -> AwsResult<BlockStateOutput> {
        Ok(self.block_state(caller))
    }
}
