//! Placeholder: the AWS CLI's shorthand syntax.
