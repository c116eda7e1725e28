//! Placeholder: the AWS CLI's output formats (json, text, table).
