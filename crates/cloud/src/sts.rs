//! STS GetCallerIdentity: who the script is acting as.

use serde::Serialize;

use super::error::AwsResult;
use super::{Caller, Cloud};
use crate::request::request;

request! {
    #[derive(Default)]
    pub struct GetCallerIdentityInput {}
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallerIdentity {
    pub user_id: String,
    pub account: String,
    pub arn: String,
}

impl Cloud {
    pub fn get_caller_identity(
        &mut self,
        caller: &Caller,
        _input: GetCallerIdentityInput,
    ) -> AwsResult<CallerIdentity> {
        Ok(CallerIdentity {
            user_id: format!("AIDA{}", &caller.account[..8.min(caller.account.len())]),
            account: caller.account.clone(),
            arn: format!("arn:aws:iam::{}:user/learner", caller.account),
        })
    }
}
