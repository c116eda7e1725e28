//! TEMPORARY stub (replaced by the guest model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsFamily {
    AmazonLinux2023,
    AmazonLinux2,
    Ubuntu,
    Rhel,
    Windows,
    LegacyLinux,
}
impl OsFamily {
    pub fn is_windows(self) -> bool {
        self == OsFamily::Windows
    }
    pub fn default_user(self) -> &'static str {
        "ec2-user"
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    os: OsFamily,
    files: std::collections::BTreeMap<String, String>,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub name: String,
    pub enabled: bool,
    pub active: bool,
}
impl Guest {
    pub fn new(os: OsFamily) -> Guest {
        Guest {
            os,
            files: Default::default(),
        }
    }
    pub fn os(&self) -> OsFamily {
        self.os
    }
    pub fn run_script(&mut self, _lines: &[String]) -> Execution {
        Execution {
            exit_code: 0,
            stdout: String::new(),
            stderr: String::new(),
        }
    }
    pub fn sync(&mut self) {}
    pub fn lose_unsynced(&mut self) {}
    pub fn crash_consistent_copy(&self) -> Guest {
        self.clone()
    }
    pub fn shutdown(&mut self) {}
    pub fn boot(&mut self) {}
    pub fn wipe_instance_store(&mut self) {}
    pub fn packages(&self) -> Vec<String> {
        vec![]
    }
    pub fn has_package(&self, _n: &str) -> bool {
        false
    }
    pub fn services(&self) -> Vec<ServiceInfo> {
        vec![]
    }
    pub fn service(&self, _n: &str) -> Option<ServiceInfo> {
        None
    }
    pub fn users(&self) -> Vec<String> {
        vec![]
    }
    pub fn has_user(&self, _n: &str) -> bool {
        false
    }
    pub fn file(&self, p: &str) -> Option<String> {
        self.files.get(p).cloned()
    }
    pub fn durable_file(&self, p: &str) -> Option<String> {
        self.files.get(p).cloned()
    }
    pub fn files(&self) -> Vec<String> {
        vec![]
    }
    pub fn has_unsynced_writes(&self) -> bool {
        false
    }
}
