//! AWS errors as the simulation raises them: a code, a message and an HTTP status.

use std::fmt;

/// An error answered by the simulated service, shaped like the real one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub code: String,
    pub message: String,
    pub http_status: u16,
}

impl AwsError {
    /// A client error (HTTP 400), the status of nearly every EC2 error.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AwsError {
            code: code.into(),
            message: message.into(),
            http_status: 400,
        }
    }

    pub fn with_status(mut self, http_status: u16) -> Self {
        self.http_status = http_status;
        self
    }

    pub fn invalid_parameter_value(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterValue", message)
    }

    pub fn invalid_parameter_combination(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterCombination", message)
    }

    pub fn missing_parameter(message: impl Into<String>) -> Self {
        Self::new("MissingParameter", message)
    }

    pub fn dry_run_succeeded() -> Self {
        Self::new(
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        )
        .with_status(412)
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}) {}", self.code, self.message)
    }
}

impl std::error::Error for AwsError {}

/// What a call can fail with: a client-side parameter check (boto3's `ParamValidationError`,
/// never sent to the service) or an error answered by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    Param(String),
    Aws(AwsError),
    /// A waiter gave up (boto3's `WaiterError`).
    Waiter(String),
}

impl From<AwsError> for CallError {
    fn from(e: AwsError) -> Self {
        CallError::Aws(e)
    }
}

pub type AwsResult<T> = Result<T, AwsError>;
