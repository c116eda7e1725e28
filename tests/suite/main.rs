//! The integration tests, as one test binary: each module was once a file of its own under
//! `tests/`. One binary links once, which keeps `cargo test` quick after a one-line change (see
//! BENCHMARKS.md, "Rebuilding after an edit").

mod cli_common;
mod common;

mod assignment;
mod autoscaling;
mod aws_cli;
mod aws_roundtrip;
mod check_watch;
mod ci_kit;
mod cli_run;
mod cli_shell;
mod contract;
mod costs;
mod course_content;
mod ec2_errors;
mod explore;
mod explore_pty;
mod fidelity;
mod grade_batch;
mod graph;
mod guest_ssm;
mod hardening;
mod hostile;
mod image_builder;
mod image_lifecycle;
mod kms_cross_account;
mod lab_check;
mod lab_commands;
mod lab_prove;
mod lab_validate_rules;
mod launch_templates;
mod learner_loop;
mod lifecycle;
mod memory_bound;
mod paginators;
mod pty;
mod quiz_bank;
mod quiz_grade;
mod quiz_take;
mod quiz_validate;
mod report_paths;
mod soak;
mod speed;
mod stats;
mod stats_html;
mod workspace;
