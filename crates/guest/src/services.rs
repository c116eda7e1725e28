//! The guest's services (systemd units, or SysV services on the legacy AMI): their state and the
//! rules for starting them.

use super::catalog::PG_VERSION_RPM;
use super::{Guest, ServiceInfo};

/// Whether a unit starts at boot (`enabled`) and whether it runs now (`active`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct ServiceState {
    pub(crate) enabled: bool,
    pub(crate) active: bool,
}

impl ServiceState {
    /// Enabled and running, as the base services of a fresh system are.
    pub(crate) const RUNNING: ServiceState = ServiceState {
        enabled: true,
        active: true,
    };
}

/// Why a unit would not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StartError {
    NotFound,
    /// Another web server already listens on port 80.
    PortBusy,
    /// PostgreSQL on RHEL-like systems needs `postgresql-setup --initdb` first.
    NotInitialized,
}

/// Services that listen on port 80; only one can hold it.
const WEB_SERVERS: &[&str] = &["apache2", "httpd", "nginx"];

/// The description `systemctl status` shows for a unit.
pub(crate) fn service_description(unit: &str) -> &'static str {
    match unit {
        "sshd" => "OpenSSH server daemon",
        "ssh" => "OpenBSD Secure Shell server",
        "amazon-ssm-agent" => "amazon-ssm-agent",
        "nginx" => "The nginx HTTP and reverse proxy server",
        "httpd" | "apache2" => "The Apache HTTP Server",
        "docker" => "Docker Application Container Engine",
        "mariadb" => "MariaDB database server",
        "mysql" => "MySQL Community Server",
        "postgresql" => "PostgreSQL database server",
        "redis" | "redis6" | "redis-server" => "Redis persistent key-value database",
        "php-fpm" | "php8.3-fpm" => "The PHP FastCGI Process Manager",
        "crond" => "Command Scheduler",
        "cron" => "Regular background program processing daemon",
        "chronyd" | "chrony" => "NTP client/server",
        "ntpd" => "Network Time Service",
        "amazon-cloudwatch-agent" => "Amazon CloudWatch Agent",
        "fail2ban" => "Fail2Ban Service",
        "snapd" => "Snap Daemon",
        _ => "Simulated service",
    }
}

fn service_info(name: &str, state: ServiceState) -> ServiceInfo {
    ServiceInfo {
        name: name.to_string(),
        enabled: state.enabled,
        active: state.active,
    }
}

impl Guest {
    /// Every service, sorted by name.
    pub fn services(&self) -> Vec<ServiceInfo> {
        self.services
            .iter()
            .map(|(name, state)| service_info(name, *state))
            .collect()
    }

    /// One service by unit name (a `.service` suffix is accepted).
    pub fn service(&self, name: &str) -> Option<ServiceInfo> {
        let unit = name.strip_suffix(".service").unwrap_or(name);
        self.services
            .get(unit)
            .map(|state| service_info(unit, *state))
    }

    /// Whether the SSM agent runs (`amazon-ssm-agent` on Linux, `AmazonSSMAgent` on Windows).
    pub fn ssm_agent_running(&self) -> bool {
        ["amazon-ssm-agent", "AmazonSSMAgent"]
            .iter()
            .any(|unit| self.is_active(unit))
    }

    pub(crate) fn is_active(&self, unit: &str) -> bool {
        self.services.get(unit).is_some_and(|s| s.active)
    }

    /// The web server that holds port 80, if one runs.
    pub(crate) fn web_server_active(&self) -> Option<&'static str> {
        WEB_SERVERS
            .iter()
            .copied()
            .find(|unit| self.is_active(unit))
    }

    /// Strips `.service` and follows the aliases real unit files declare.
    pub(crate) fn canonical_unit(&self, raw: &str) -> String {
        let base = raw.strip_suffix(".service").unwrap_or(raw);
        let has = |unit: &str| self.services.contains_key(unit);
        let alias = match base {
            "sshd" if self.os.is_debian() => "ssh",
            "mysqld" | "mysql" if has("mariadb") => "mariadb",
            "mysqld" if has("mysql") => "mysql",
            "redis" if has("redis6") => "redis6",
            "redis" if has("redis-server") => "redis-server",
            other => other,
        };
        alias.to_string()
    }

    /// Starts a unit unless something stops it (see [`StartError`]); starting a running unit
    /// succeeds.
    pub(crate) fn start_unit(&mut self, unit: &str) -> Result<(), StartError> {
        let state = self
            .services
            .get(unit)
            .copied()
            .ok_or(StartError::NotFound)?;
        if state.active {
            return Ok(());
        }
        let port_taken = WEB_SERVERS.contains(&unit)
            && self
                .web_server_active()
                .is_some_and(|holder| holder != unit);
        if port_taken {
            return Err(StartError::PortBusy);
        }
        if unit == "postgresql" && !self.os.is_debian() && !self.live.is_file(PG_VERSION_RPM) {
            return Err(StartError::NotInitialized);
        }
        if let Some(state) = self.services.get_mut(unit) {
            state.active = true;
        }
        Ok(())
    }

    pub(crate) fn stop_unit(&mut self, unit: &str) {
        if let Some(state) = self.services.get_mut(unit) {
            state.active = false;
        }
    }

    pub(crate) fn set_enabled(&mut self, unit: &str, enabled: bool) {
        if let Some(state) = self.services.get_mut(unit) {
            state.enabled = enabled;
        }
    }

    /// `systemctl enable --now`: enables the unit, then starts it.
    pub(crate) fn enable_and_start(&mut self, unit: &str) -> Result<(), StartError> {
        self.set_enabled(unit, true);
        self.start_unit(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn two_web_servers_cannot_share_port_80() {
        let mut guest = al2023();
        run(
            &mut guest,
            "dnf install -y nginx httpd\nsystemctl enable --now httpd",
        );
        let result = run(&mut guest, "systemctl start nginx");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("Job for nginx.service failed"));
        // enabled on boot: the first in name order wins
        run(&mut guest, "systemctl enable nginx");
        guest.shutdown();
        guest.boot();
        assert!(guest.service("httpd").unwrap().active);
        assert!(!guest.service("nginx").unwrap().active);
    }

    #[test]
    fn postgresql_needs_initdb_on_rpm_systems() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y postgresql15-server");
        assert_eq!(run(&mut guest, "systemctl start postgresql").exit_code, 1);
        let result = run(
            &mut guest,
            "postgresql-setup --initdb && systemctl enable --now postgresql",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.service("postgresql").unwrap().active);
    }

    #[test]
    fn boot_starts_enabled_services_and_shutdown_stops_all() {
        let mut guest = al2023();
        run(
            &mut guest,
            "dnf install -y nginx docker\nsystemctl enable nginx\nsystemctl start docker",
        );
        guest.shutdown();
        assert!(guest.services().iter().all(|s| !s.active));
        guest.boot();
        assert!(guest.service("nginx").unwrap().active);
        assert!(
            !guest.service("docker").unwrap().active,
            "started but not enabled"
        );
        assert!(guest.service("sshd").unwrap().active);
    }
}
