//! Language runtimes and their package managers: `npm`, `node`, `pip`, `python`.

use super::super::paths::{base_name, child_path};
use super::super::shell::{Outcome, Shell};
use super::args::Flags;

/// `express@4.18` → `express`, `@types/node@20` → `@types/node`; `None` if not a valid name.
fn npm_package_name(spec: &str) -> Option<String> {
    let name = match spec.strip_prefix('@') {
        Some(scoped) => format!("@{}", scoped.split('@').next().unwrap_or("")),
        None => spec.split('@').next().unwrap_or("").to_string(),
    };
    let valid = !name.is_empty()
        && name.len() <= 214
        && !name.starts_with(['.', '_'])
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._~/@".contains(c));
    valid.then_some(name)
}

/// `Flask[async]>=2.0` → `flask`; `None` for an empty requirement.
fn pip_package_name(spec: &str) -> Option<String> {
    let end = spec
        .find(['=', '<', '>', '!', '~', ';', '[', ' ', '@'])
        .unwrap_or(spec.len());
    let name = spec[..end].trim().to_ascii_lowercase().replace('_', "-");
    let valid = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c));
    valid.then_some(name)
}

const PIP_ROOT_WARNING: &str = "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv";
const PEP668_ERROR: &str = "error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install.\n\n    If you wish to install a non-Debian-packaged Python package,\n    create a virtual environment using python3 -m venv path/to/venv.\n\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.";

impl Shell<'_> {
    fn npm_missing_package_json(&self) -> Outcome {
        let file = child_path(&self.cwd, "package.json");
        let mut outcome = Outcome::status(254);
        outcome.warn("npm error code ENOENT\nnpm error syscall open");
        outcome.warn(&format!("npm error path {file}\nnpm error errno -2"));
        outcome.warn(&format!(
            "npm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{file}'"
        ));
        outcome
    }

    pub(crate) fn cmd_npm(&mut self, args: &[String]) -> Outcome {
        let flags = Flags::parse(args);
        let version = self.guest.version_of("npm", "10.7.0");
        let Some((verb, names)) = flags.operands.split_first() else {
            return if flags.any('v', "version") {
                Outcome::print(format!("{version}\n"))
            } else {
                Outcome::print("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\n")
            };
        };
        let has_package_json = self
            .guest
            .live
            .is_file(&child_path(&self.cwd, "package.json"));
        match verb.as_str() {
            "install" | "i" | "add" | "ci" | "isntall" => {
                if names.is_empty() {
                    return if has_package_json {
                        Outcome::print("\nup to date, audited 1 package in 1s\n\nfound 0 vulnerabilities\n")
                    } else {
                        self.npm_missing_package_json()
                    };
                }
                let mut resolved = Vec::new();
                for spec in names {
                    match npm_package_name(spec) {
                        Some(name) => resolved.push(name),
                        None => {
                            return Outcome::fail(1, &format!("npm error code EINVALIDPACKAGENAME\nnpm error Invalid package name \"{spec}\""));
                        }
                    }
                }
                for name in &resolved {
                    if !self.guest.add_language_package("npm", name) {
                        return Outcome::fail(1, "npm error code ENOSPC\nnpm error syscall write\nnpm error errno -28");
                    }
                }
                Outcome::print(format!(
                    "\nadded {} packages, and audited {} packages in 2s\n\nfound 0 vulnerabilities\n",
                    resolved.len(),
                    resolved.len() + 1
                ))
            }
            "uninstall" | "remove" | "rm" | "un" | "r" => {
                let removed = names
                    .iter()
                    .filter_map(|n| npm_package_name(n))
                    .filter(|n| self.guest.remove_language_package("npm", n))
                    .count();
                Outcome::print(format!("\nremoved {removed} package{}, and audited 1 package in 1s\n", if removed == 1 { "" } else { "s" }))
            }
            "init" => {
                let file = child_path(&self.cwd, "package.json");
                let project = base_name(&self.cwd).to_string();
                let project = if project.is_empty() { "root".to_string() } else { project };
                let json = format!(
                    "{{\n  \"name\": \"{project}\",\n  \"version\": \"1.0.0\",\n  \"main\": \"index.js\",\n  \"scripts\": {{\n    \"start\": \"node index.js\"\n  }},\n  \"license\": \"ISC\"\n}}\n"
                );
                match self.guest.live.write(&file, json.clone()) {
                    Ok(()) => Outcome::print(format!("Wrote to {file}:\n\n{json}\n")),
                    Err(e) => Outcome::fail(1, &format!("npm error code {}\nnpm error path {file}", e.describe())),
                }
            }
            "start" | "run" | "run-script" | "test" | "t" => {
                if has_package_json {
                    let script = if verb == "run" || verb == "run-script" { names.first().cloned().unwrap_or_default() } else { verb.clone() };
                    Outcome::print(format!("\n> {script}\n\n"))
                } else {
                    self.npm_missing_package_json()
                }
            }
            "list" | "ls" => {
                let mut outcome = Outcome::print(format!("{}\n", if flags.any('g', "global") { "/usr/lib" } else { &self.cwd }));
                for name in self.guest.language_packages("npm") {
                    outcome.say(&format!("├── {name}@1.0.0"));
                }
                outcome
            }
            "config" | "cache" | "audit" | "update" | "outdated" | "prune" | "version" | "help" => Outcome::success(),
            other => Outcome::fail(1, &format!("Unknown command: \"{other}\"\n\nTo see a list of supported npm commands, run:\n  npm help")),
        }
    }

    pub(crate) fn cmd_pip(&mut self, tool: &str, args: &[String]) -> Outcome {
        let mut requirement_files = Vec::new();
        let mut break_system = false;
        let mut operands = Vec::new();
        let mut index = 0;
        while index < args.len() {
            let arg = args[index].as_str();
            match arg {
                "-r" | "--requirement" => {
                    requirement_files.extend(args.get(index + 1).cloned());
                    index += 1;
                }
                "--break-system-packages" => break_system = true,
                "--version" | "-V" if operands.is_empty() => {
                    let version = self.guest.version_of(tool, "21.3.1");
                    return Outcome::print(format!(
                        "pip {version} from /usr/lib/python3/site-packages/pip (python 3)\n"
                    ));
                }
                "-i" | "--index-url" | "--extra-index-url" | "-t" | "--target" | "-c"
                | "--constraint" => index += 1,
                flag if flag.starts_with('-') => {}
                _ => operands.push(args[index].clone()),
            }
            index += 1;
        }
        let Some((verb, names)) = operands.split_first() else {
            return Outcome::print(format!("\nUsage:   \n  {tool} <command> [options]\n"));
        };
        match verb.as_str() {
            "install" => self.pip_install(names, &requirement_files, break_system),
            "uninstall" => {
                let mut outcome = Outcome::success();
                for name in names.iter().filter_map(|n| pip_package_name(n)) {
                    if self.guest.remove_language_package("pip", &name) {
                        outcome.say(&format!("Found existing installation: {name} 1.0.0\nUninstalling {name}-1.0.0:\n  Successfully uninstalled {name}-1.0.0"));
                    } else {
                        outcome.warn(&format!("WARNING: Skipping {name} as it is not installed."));
                    }
                }
                outcome
            }
            "list" | "freeze" => {
                let mut outcome = Outcome::success();
                if verb == "list" {
                    outcome.say("Package    Version\n---------- -------");
                }
                for name in self.guest.language_packages("pip") {
                    outcome.say(&if verb == "list" {
                        format!("{name:<10} 1.0.0")
                    } else {
                        format!("{name}==1.0.0")
                    });
                }
                outcome
            }
            "show" => {
                let mut outcome = Outcome::success();
                for name in names.iter().filter_map(|n| pip_package_name(n)) {
                    if self.guest.has_language_package("pip", &name) {
                        outcome.say(&format!("Name: {name}\nVersion: 1.0.0"));
                    } else {
                        outcome.error(1, &format!("WARNING: Package(s) not found: {name}"));
                    }
                }
                outcome
            }
            "download" | "wheel" | "config" | "cache" | "check" | "help" => Outcome::success(),
            other => Outcome::fail(1, &format!("ERROR: unknown command \"{other}\"")),
        }
    }

    fn pip_install(
        &mut self,
        names: &[String],
        requirement_files: &[String],
        break_system: bool,
    ) -> Outcome {
        let in_venv = self.vars.contains_key("VIRTUAL_ENV");
        if self.os().is_debian() && !break_system && !in_venv {
            return Outcome::fail(1, PEP668_ERROR);
        }
        let mut wanted: Vec<String> = names.to_vec();
        for file in requirement_files {
            match self.read_path(file) {
                Ok(text) => wanted.extend(
                    text.lines()
                        .map(|l| l.split('#').next().unwrap_or("").trim())
                        .filter(|l| !l.is_empty() && !l.starts_with('-'))
                        .map(str::to_string),
                ),
                Err(_) => {
                    return Outcome::fail(1, &format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'"));
                }
            }
        }
        let resolved: Vec<String> = wanted.iter().filter_map(|w| pip_package_name(w)).collect();
        if resolved.is_empty() {
            return Outcome::fail(1, "ERROR: You must give at least one requirement to install (see \"pip help install\")");
        }
        let mut outcome = Outcome::success();
        for name in &resolved {
            outcome.say(&format!(
                "Collecting {name}\n  Downloading {name}-1.0.0-py3-none-any.whl (10 kB)"
            ));
            if !self.guest.add_language_package("pip", name) {
                outcome.error(1, "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device");
                return outcome;
            }
        }
        let installed: Vec<String> = resolved.iter().map(|n| format!("{n}-1.0.0")).collect();
        outcome.say(&format!(
            "Installing collected packages: {}",
            resolved.join(", ")
        ));
        outcome.say(&format!("Successfully installed {}", installed.join(" ")));
        if !in_venv && !self.os().is_debian() {
            outcome.warn(PIP_ROOT_WARNING);
        }
        outcome
    }

    pub(crate) fn cmd_python(&mut self, tool: &str, args: &[String]) -> Outcome {
        let version = self.guest.version_of(tool, "3.9.16");
        match args.first().map(String::as_str) {
            Some("--version" | "-V") if version.starts_with('2') => {
                Outcome::fail(0, &format!("Python {version}"))
            }
            Some("--version" | "-V") => Outcome::print(format!("Python {version}\n")),
            Some("-m") => match args.get(1).map(String::as_str) {
                Some("pip") if self.guest.command_available("pip3") => {
                    self.cmd_pip("pip3", &args[2..])
                }
                Some("pip") => Outcome::fail(1, &format!("/usr/bin/{tool}: No module named pip")),
                Some("venv") => self.python_venv(args.get(2..).unwrap_or_default(), version),
                _ => Outcome::success(),
            },
            Some(file) if !file.starts_with('-') => {
                let path = self.path(file);
                if self.guest.live.is_file(&path) {
                    Outcome::success()
                } else {
                    Outcome::fail(
                        2,
                        &format!(
                            "{tool}: can't open file '{path}': [Errno 2] No such file or directory"
                        ),
                    )
                }
            }
            _ => Outcome::success(),
        }
    }

    fn python_venv(&mut self, args: &[String], version: &str) -> Outcome {
        let Some(dir) = args.iter().find(|a| !a.starts_with('-')) else {
            return Outcome::fail(2, "usage: venv [-h] ENV_DIR [ENV_DIR ...]\nError: the following arguments are required: ENV_DIR");
        };
        if self.os().is_debian() && !self.guest.packages.contains("python3-venv") {
            return Outcome::fail(1, "The virtual environment was not created successfully because ensurepip is not\navailable.  On Debian/Ubuntu systems, you need to install the python3-venv\npackage using the following command.\n\n    apt install python3.12-venv\n\nYou may need to use sudo with that command.  After installing the python3-venv\npackage, recreate your virtual environment.");
        }
        let path = self.path(dir);
        let bin = child_path(&path, "bin");
        let activate = format!("# This file must be used with \"source bin/activate\"\nexport VIRTUAL_ENV={path}\nexport PATH=\"{bin}:$PATH\"\n");
        let live = &mut self.guest.live;
        let created = live
            .mkdir_all(&bin)
            .and_then(|()| live.write(&child_path(&path, "pyvenv.cfg"), format!("home = /usr/bin\ninclude-system-site-packages = false\nversion = {version}\n")))
            .and_then(|()| live.write(&child_path(&bin, "activate"), activate));
        match created {
            Ok(()) => Outcome::success(),
            Err(e) => Outcome::fail(1, &format!("Error: [Errno 28] {}: '{path}'", e.describe())),
        }
    }

    pub(crate) fn cmd_node(&self, args: &[String]) -> Outcome {
        let version = self.guest.version_of("node", "18.20.4");
        match args.first().map(String::as_str) {
            Some("--version" | "-v") => Outcome::print(format!("v{version}\n")),
            Some(file) if !file.starts_with('-') => {
                let path = self.path(file);
                if self.guest.live.is_file(&path) {
                    Outcome::success()
                } else {
                    Outcome::fail(1, &format!("node:internal/modules/cjs/loader:1143\n  throw err;\n  ^\n\nError: Cannot find module '{path}'"))
                }
            }
            _ => Outcome::success(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn npm_needs_nodejs() {
        let mut guest = al2023();
        let result = run(&mut guest, "npm install -g pm2");
        assert_eq!(result.exit_code, 127);
        assert_eq!(result.stderr, "bash: npm: command not found\n");
        let result = run(
            &mut guest,
            "dnf install -y nodejs\nnpm install -g pm2 express@4\npm2 start app.js\nnode --version",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(result.stdout.contains("v18."));
        assert!(guest.has_package("nodejs-npm"), "dnf's nodejs brings npm");
        assert!(guest.has_package("npm:pm2") && guest.has_package("npm:express"));
        assert!(guest.packages().contains(&"npm:express".to_string()));

        let mut guest = ubuntu();
        assert_eq!(
            run(&mut guest, "apt-get install -y nodejs\nnode -v").exit_code,
            0
        );
        assert_eq!(
            run(&mut guest, "npm install express").exit_code,
            127,
            "Ubuntu ships npm separately"
        );
        assert_eq!(
            run(&mut guest, "apt-get install -y npm\nnpm install express").exit_code,
            0
        );
        assert!(guest.has_package("npm:express"));
    }

    #[test]
    fn npm_without_package_json_fails_like_npm() {
        let mut guest = al2023();
        run(&mut guest, "dnf install -y nodejs");
        let result = run(&mut guest, "npm install");
        assert_eq!(result.exit_code, 254);
        assert!(result.stderr.contains("npm error code ENOENT"));
        let result = run(
            &mut guest,
            "mkdir /app && cd /app && npm init -y && npm install",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.file("/app/package.json").is_some());
    }

    #[test]
    fn pip_needs_python3_pip_and_ubuntu_wants_a_venv() {
        let mut guest = al2023();
        assert_eq!(run(&mut guest, "pip3 install flask").exit_code, 127);
        let result = run(
            &mut guest,
            "dnf install -y python3-pip\npip3 install Flask==3.0 gunicorn",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("pip:flask") && guest.has_package("pip:gunicorn"));

        let mut guest = ubuntu();
        run(&mut guest, "apt-get install -y python3-pip");
        let result = run(&mut guest, "pip install flask");
        assert_eq!(result.exit_code, 1);
        assert!(result.stderr.contains("externally-managed-environment"));
        assert_eq!(
            run(&mut guest, "pip install --break-system-packages flask").exit_code,
            0
        );
        assert!(guest.has_package("pip:flask"));
    }

    #[test]
    fn pip_reads_requirements_files() {
        let mut guest = al2023();
        let result = run(
            &mut guest,
            "dnf install -y python3-pip\nprintf 'requests>=2\\n# comment\\nboto3\\n' > /tmp/req.txt\npip3 install -r /tmp/req.txt",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert!(guest.has_package("pip:requests") && guest.has_package("pip:boto3"));
    }
}
