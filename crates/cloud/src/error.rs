//! AWS errors as the simulation raises them: a code, a message and an HTTP status.

use std::fmt;

/// An error answered by the simulated service, shaped like the real one; shown as botocore
/// shows a `ClientError`'s core: `(Code) message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("({code}) {message}")]
pub struct AwsError {
    /// AWS's error code (`InvalidAMIID.NotFound`), exactly as AWS spells it.
    pub code: String,
    /// The message, in AWS's wording where known (EC2-BEHAVIOUR.md).
    pub message: String,
    /// The HTTP status of the response: 400 for client errors, 412 for `DryRunOperation`, 500 for
    /// `InternalError`, 503 for `RequestLimitExceeded`.
    pub http_status: u16,
}

impl AwsError {
    /// A client error (HTTP 400), the status of nearly every EC2 error.
    pub(crate) fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AwsError {
            code: code.into(),
            message: message.into(),
            http_status: 400,
        }
    }

    /// The same error answered with another HTTP status.
    pub(crate) fn with_status(mut self, http_status: u16) -> Self {
        self.http_status = http_status;
        self
    }

    /// `InvalidParameterValue` (400): a parameter's value is not acceptable.
    pub(crate) fn invalid_parameter_value(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterValue", message)
    }

    /// `InvalidParameterCombination` (400): parameters that cannot be used together, or a required
    /// pairing missing.
    pub(crate) fn invalid_parameter_combination(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterCombination", message)
    }

    /// `MissingParameter` (400): a parameter the request needs is absent.
    pub(crate) fn missing_parameter(message: impl Into<String>) -> Self {
        Self::new("MissingParameter", message)
    }

    /// `InternalError` (HTTP 500): what AWS answers when the service itself fails, here when
    /// the simulation cannot encode its own response (a bug in amilab, named in the message).
    pub(crate) fn internal_error(cause: &dyn fmt::Display) -> Self {
        Self::new(
            "InternalError",
            format!(
                "An internal error has occurred (amilab could not encode the response: {cause})"
            ),
        )
        .with_status(500)
    }

    /// `DryRunOperation` (HTTP 412): the answer to a dry run whose real call would have succeeded
    /// ("Request would have succeeded, but DryRun flag is set.").
    pub fn dry_run_succeeded() -> Self {
        Self::new(
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        )
        .with_status(412)
    }
}

/// What a call can fail with: a client-side parameter check (boto3's `ParamValidationError`,
/// never sent to the service) or an error answered by the service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// boto3's `ParamValidationError`: the request's shape is wrong (`Parameter validation
    /// failed:` and one line per problem).
    #[error("{0}")]
    Param(String),
    /// The service answered with an error.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// A waiter gave up (boto3's `WaiterError`).
    #[error("{0}")]
    Waiter(String),
    /// The request names a member that boto3 accepts and real AWS would act on, but that the
    /// simulation does not simulate (declared with each input; see [`crate::api::OperationSpec::not_simulated`]): refused rather
    /// than answered as if it had no effect. Nothing was sent and nothing is recorded.
    #[error(
        "amilab does not simulate `{member}` (boto3 accepts it and real AWS would act on it, but nothing here could). Leave it out; the README's \"Not simulated\" table lists every such member."
    )]
    NotSimulated {
        /// The API name (`RunInstances`).
        operation: &'static str,
        /// The member's boto3 key path (`placement.group_name`).
        member: String,
    },
}

/// What an operation answers: its output, or the AWS error the service would return.
pub type AwsResult<T> = Result<T, AwsError>;
