//! STS GetCallerIdentity: who the script is acting as.

use serde::Serialize;

use super::error::AwsResult;
use super::{Caller, Cloud};
use crate::request::request;

request! {
    /// Input of STS `GetCallerIdentity` (`sts.get_caller_identity()`): no parameters.
    #[derive(Default)]
    pub struct GetCallerIdentityInput {}
}

/// STS `GetCallerIdentity`'s answer: who the call was made as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallerIdentity {
    /// The caller's unique id: `AIDA` followed by the first 8 digits of the account (an IAM user
    /// id's shape).
    pub user_id: String,
    /// The caller's 12-digit account id.
    pub account: String,
    /// The caller's ARN: `arn:aws:iam::<account>:user/learner`.
    pub arn: String,
}

impl Cloud {
    /// STS `GetCallerIdentity`: the account, user id and ARN the call is made as. Never fails.
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
