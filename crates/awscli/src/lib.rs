//! The AWS CLI's front end over amilab's simulated cloud: `aws ec2 describe-images --owners self
//! --query 'Images[*].ImageId' --output table` parsed, run and printed as the AWS CLI (v1, the
//! version on PyPI that the conformance test runs beside it) would.

#![warn(missing_docs)]

pub mod argument;
mod argv;
pub mod driver;
pub mod help;
pub mod model;
pub mod options;
pub mod output;
pub mod query;
pub mod rule;
pub mod session;
pub mod shape;
pub mod shorthand;

pub use shape::{Member, Shape};
