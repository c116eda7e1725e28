//! Helpers shared by the guest's unit tests.

pub(crate) use super::{Execution, Guest, OsFamily, ServiceInfo};

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

pub(crate) fn run(guest: &mut Guest, text: &str) -> Execution {
    guest.run_script(&lines(text))
}

pub(crate) fn al2023() -> Guest {
    Guest::new(OsFamily::AmazonLinux2023)
}

pub(crate) fn ubuntu() -> Guest {
    Guest::new(OsFamily::Ubuntu)
}
