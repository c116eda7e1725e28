//! Other installed tools: `docker`, `crontab`, `postgresql-setup`, `amazon-cloudwatch-agent-ctl`,
//! and the generic answer of tools that are installed but not simulated.

use std::collections::BTreeSet;

use super::super::catalog::{installed_spec, CLOUDWATCH_CONFIG, PG_VERSION_RPM};
use super::super::paths::{child_path, parent_of};
use super::super::shell::{Outcome, Shell};

impl Shell<'_> {
    pub(crate) fn cmd_docker(&self, args: &[String]) -> Outcome {
        let version = self.guest.version_of("docker", "25.0.6");
        let verb = args
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str);
        if args.first().is_some_and(|a| a == "--version" || a == "-v") {
            return Outcome::print(format!("Docker version {version}, build 5dc9bcc\n"));
        }
        if !self.guest.is_active("docker") {
            return Outcome::fail(1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?");
        }
        match verb {
            Some("ps") => Outcome::print("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"),
            Some("images") => Outcome::print("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"),
            Some("info") => Outcome::print(format!("Server:\n Containers: 0\n Server Version: {version}\n Storage Driver: overlay2\n")),
            Some("run") if args.iter().any(|a| a.starts_with("hello-world")) => Outcome::print(
                "\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n",
            ),
            _ => Outcome::success(),
        }
    }

    pub(crate) fn cmd_crontab(&mut self, args: &[String], stdin: &str) -> Outcome {
        let mut user = "root".to_string();
        let mut flags = BTreeSet::new();
        let mut file = None;
        let mut index = 0;
        while index < args.len() {
            match args[index].as_str() {
                "-u" => {
                    user = args.get(index + 1).cloned().unwrap_or_default();
                    index += 1;
                }
                "-" => file = Some("-".to_string()),
                flag if flag.starts_with('-') => flags.extend(flag.chars().skip(1)),
                path => file = Some(path.to_string()),
            }
            index += 1;
        }
        if !self.guest.users.contains_key(&user) {
            return Outcome::fail(1, &format!("crontab: user '{user}' unknown"));
        }
        let spool = if self.os().is_debian() {
            "/var/spool/cron/crontabs"
        } else {
            "/var/spool/cron"
        };
        let path = child_path(spool, &user);
        let live = &mut self.guest.live;
        if flags.contains(&'l') {
            return match live.files.get(&path) {
                Some(table) => Outcome::print(table.clone()),
                None => Outcome::fail(1, &format!("no crontab for {user}")),
            };
        }
        if flags.contains(&'r') {
            return if live.remove_file(&path) {
                Outcome::success()
            } else {
                Outcome::fail(1, &format!("no crontab for {user}"))
            };
        }
        let content = match file.as_deref() {
            None | Some("-") => stdin.to_string(),
            Some(source) => match self.read_path(source) {
                Ok(content) => content,
                Err(e) => return Outcome::fail(1, &format!("crontab: {source}: {}", e.describe())),
            },
        };
        let live = &mut self.guest.live;
        match live
            .mkdir_all(spool)
            .and_then(|()| live.write(&path, content))
        {
            Ok(()) => Outcome::success(),
            Err(e) => Outcome::fail(
                1,
                &format!("crontab: installing new crontab: {}", e.describe()),
            ),
        }
    }

    pub(crate) fn cmd_postgresql_setup(&mut self, args: &[String]) -> Outcome {
        if !args.iter().any(|a| a == "--initdb" || a == "initdb") {
            return Outcome::fail(1, "Usage: postgresql-setup --initdb");
        }
        let live = &mut self.guest.live;
        if live.is_file(PG_VERSION_RPM) {
            return Outcome::fail(
                1,
                " * Data directory /var/lib/pgsql/data is not empty!\n * Initialization failed.",
            );
        }
        let major = self
            .guest
            .packages
            .iter()
            .find(|p| p.starts_with("postgresql"))
            .and_then(|p| installed_spec(self.guest.os, p))
            .map_or("15", |s| s.version.split('.').next().unwrap_or("15"));
        let live = &mut self.guest.live;
        match live.mkdir_all(parent_of(PG_VERSION_RPM)).and_then(|()| live.write(PG_VERSION_RPM, format!("{major}\n"))) {
            Ok(()) => Outcome::print(
                " * Initializing database in '/var/lib/pgsql/data'\n * Initialized, logs are in /var/lib/pgsql/initdb_postgresql.log\n",
            ),
            Err(e) => Outcome::fail(1, &format!(" * Initialization failed: {}", e.describe())),
        }
    }

    pub(crate) fn cmd_cloudwatch_ctl(&mut self, args: &[String]) -> Outcome {
        let mut action = None;
        let mut config = None;
        let mut start_after = false;
        let mut index = 0;
        while index < args.len() {
            match args[index].as_str() {
                "-a" => {
                    action = args.get(index + 1).cloned();
                    index += 1;
                }
                "-c" => {
                    config = args.get(index + 1).cloned();
                    index += 1;
                }
                "-m" => index += 1,
                "-s" => start_after = true,
                _ => {}
            }
            index += 1;
        }
        const UNIT: &str = "amazon-cloudwatch-agent";
        let mut outcome = Outcome::success();
        match action.as_deref() {
            Some("fetch-config" | "append-config") => {
                let content = match config.as_deref() {
                    Some(source) if source.starts_with("file:") => match self.read_path(&source[5..]) {
                        Ok(content) => content,
                        Err(_) => {
                            return Outcome::fail(1, &format!("E! Failed to fetch config: open {}: no such file or directory", &source[5..]));
                        }
                    },
                    Some(source) if source.starts_with("ssm:") => format!("{{\"source\": \"{source}\"}}\n"),
                    Some("default") | None => "{}\n".to_string(),
                    Some(other) => return Outcome::fail(1, &format!("E! Invalid config location: {other}")),
                };
                if let Err(e) = self.guest.live.write(CLOUDWATCH_CONFIG, content) {
                    return Outcome::fail(1, &format!("E! Failed to save config: {}", e.describe()));
                }
                outcome.say(&format!("****** processing amazon-cloudwatch-agent ******\nSuccessfully fetched the config and saved in {CLOUDWATCH_CONFIG}"));
                if start_after {
                    let _ = self.guest.enable_and_start(UNIT);
                }
            }
            Some("start") => {
                if !self.guest.live.is_file(CLOUDWATCH_CONFIG) {
                    return Outcome::fail(1, "E! No configuration found; run with -a fetch-config first");
                }
                let _ = self.guest.enable_and_start(UNIT);
            }
            Some("stop") => self.guest.stop_unit(UNIT),
            Some("status") => {
                let running = self.guest.is_active(UNIT);
                let configured = self.guest.live.is_file(CLOUDWATCH_CONFIG);
                outcome.say(&format!(
                    "{{\n  \"status\": \"{}\",\n  \"starttime\": \"\",\n  \"configstatus\": \"{}\",\n  \"version\": \"1.300044.0\"\n}}",
                    if running { "running" } else { "stopped" },
                    if configured { "configured" } else { "not configured" }
                ));
            }
            _ => return Outcome::fail(1, "usage: amazon-cloudwatch-agent-ctl -a fetch-config|start|stop|status [-m ec2] [-c file:PATH] [-s]"),
        }
        outcome
    }

    /// A tool that is installed but not simulated: `--version` answers, anything else succeeds
    /// without output.
    pub(crate) fn generic_tool(&self, name: &str, args: &[String]) -> Outcome {
        let asks_version = args.first().is_some_and(|a| {
            matches!(
                a.as_str(),
                "--version" | "-v" | "-V" | "version" | "-version"
            )
        });
        if !asks_version {
            return Outcome::success();
        }
        let version = self.guest.version_of(name, "1.0.0");
        match name {
            "java" | "javac" => {
                Outcome::fail(0, &format!("openjdk version \"{version}\" 2024-07-16 LTS"))
            }
            "nginx" => Outcome::fail(0, &format!("nginx version: nginx/{version}")),
            "aws" => Outcome::print(format!(
                "aws-cli/{version} Python/3.11.8 Linux/{} source/x86_64\n",
                self.os().kernel_release()
            )),
            "go" => Outcome::print(format!("go version go{version} linux/amd64\n")),
            "php" => Outcome::print(format!("PHP {version} (cli)\n")),
            "httpd" | "apachectl" | "apache2ctl" => {
                Outcome::print(format!("Server version: Apache/{version}\n"))
            }
            _ => Outcome::print(format!("{name} {version}\n")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn docker_needs_its_daemon() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y docker");
        let result = run(&mut guest, "docker ps");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("Is the docker daemon running?"));
        let result = run(
            &mut guest,
            "systemctl start docker\nusermod -aG docker ec2-user\ndocker ps",
        );
        assert_eq!(result.exit_code, 0);
        assert!(result.stdout.starts_with("CONTAINER ID"));
        assert!(guest
            .groups_of("ec2-user")
            .unwrap()
            .contains(&"docker".to_string()));
    }

    #[test]
    fn crontab_needs_cronie_on_al2023() {
        let mut guest = al2023();
        assert_eq!(
            run(&mut guest, "echo '* * * * * true' | crontab -").exit_code,
            127
        );
        let mut guest = Guest::new(OsFamily::AmazonLinux2);
        let result = run(
            &mut guest,
            "echo '*/5 * * * * /opt/job.sh' | crontab -\ncrontab -l",
        );
        assert_eq!(result.stdout, "*/5 * * * * /opt/job.sh\n");
        assert!(guest.file("/var/spool/cron/root").is_some());
    }

    #[test]
    fn cloudwatch_agent_starts_from_a_config_file() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y amazon-cloudwatch-agent");
        let ctl = "amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/cw.json";
        assert_eq!(
            run(&mut guest, ctl).exit_code,
            1,
            "the config file is missing"
        );
        let result = run(&mut guest, &format!("echo '{{}}' > /opt/cw.json\n{ctl}"));
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        let agent = guest.service("amazon-cloudwatch-agent").unwrap();
        assert!(agent.enabled && agent.active);
        assert!(run(&mut guest, "amazon-cloudwatch-agent-ctl -a status")
            .stdout
            .contains("\"running\""));
    }
}
