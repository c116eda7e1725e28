//! Account-level image settings: the block on new public sharing of AMIs.

use serde::Serialize;

use crate::error::{AwsError, AwsResult};
use crate::request::request;
use crate::{Caller, Cloud};

request! {
    pub struct EnableBlockInput {
        pub image_block_public_access_state: String,
        ..dry_run,
    }
}

request! {
    #[derive(Default)]
    pub struct DryRunOnly {
        ..dry_run,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockStateOutput {
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

    pub fn disable_image_block_public_access(
        &mut self,
        caller: &Caller,
        _input: DryRunOnly,
    ) -> AwsResult<BlockStateOutput> {
        self.image_public_access_blocked
            .remove(&(caller.account.clone(), caller.region.clone()));
        Ok(self.block_state(caller))
    }

    pub fn get_image_block_public_access_state(
        &mut self,
        caller: &Caller,
        _input: DryRunOnly,
    ) -> AwsResult<BlockStateOutput> {
        Ok(self.block_state(caller))
    }
}
