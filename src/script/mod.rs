//! The Rhai binding: a sandboxed engine whose clients mirror boto3.
