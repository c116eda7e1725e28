//! TEMPORARY: the hand-written package table, kept only to check the generated one against it.
//! The package table: every package per OS family, the files it ships, the base system of each
//! OS, and the package groups and topics package managers know.

use super::super::os::{
    OsFamily, OS_AL2, OS_AL2023, OS_LEGACY, OS_MODERN_RPM, OS_RHEL, OS_RPM, OS_SYSTEMD, OS_UBUNTU,
};
// The sets os.rs no longer needs, as they were there.
const OS_DNF: u8 = OS_AL2023 | OS_RHEL;
const OS_AMAZON: u8 = OS_AL2023 | OS_AL2;
const OS_LINUX: u8 = OS_RPM | OS_UBUNTU;
use super::{Channel, PackageSpec};

/// What `coreutils` (and friends bundled with it here) provides.
const COREUTILS: &[&str] = &[
    "cat",
    "ls",
    "mkdir",
    "rmdir",
    "rm",
    "cp",
    "mv",
    "touch",
    "chmod",
    "chown",
    "chgrp",
    "ln",
    "tee",
    "pwd",
    "echo",
    "printf",
    "sync",
    "whoami",
    "uname",
    "id",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "sleep",
    "env",
    "basename",
    "dirname",
    "true",
    "false",
    "test",
    "[",
    "nohup",
    "timeout",
    "date",
    "df",
    "du",
    "stat",
    "hostname",
    "which",
    "xargs",
    "find",
    "seq",
    "tr",
    "md5sum",
    "sha256sum",
    "base64",
    "nproc",
    "free",
    "ps",
    "uptime",
];

// Files the packages ship.
const NGINX_CONF_RPM: &str = "user nginx;\nworker_processes auto;\nerror_log /var/log/nginx/error.log notice;\npid /run/nginx.pid;\n\nevents {\n    worker_connections 1024;\n}\n\nhttp {\n    include /etc/nginx/mime.types;\n    include /etc/nginx/conf.d/*.conf;\n\n    server {\n        listen       80;\n        listen       [::]:80;\n        server_name  _;\n        root         /usr/share/nginx/html;\n    }\n}\n";
const NGINX_CONF_DEB: &str = "user www-data;\nworker_processes auto;\npid /run/nginx.pid;\n\nevents {\n\tworker_connections 768;\n}\n\nhttp {\n\tinclude /etc/nginx/mime.types;\n\tinclude /etc/nginx/conf.d/*.conf;\n\tinclude /etc/nginx/sites-enabled/*;\n}\n";
const NGINX_SITE_DEB: &str = "server {\n\tlisten 80 default_server;\n\tlisten [::]:80 default_server;\n\troot /var/www/html;\n\tindex index.html index.htm index.nginx-debian.html;\n\tserver_name _;\n}\n";
const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";
const HTTPD_CONF: &str = "ServerRoot \"/etc/httpd\"\nListen 80\nInclude conf.modules.d/*.conf\nUser apache\nGroup apache\nDocumentRoot \"/var/www/html\"\nDirectoryIndex index.html\nIncludeOptional conf.d/*.conf\n";
const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";
const APACHE2_CONF: &str = "DefaultRuntimeDir ${APACHE_RUN_DIR}\nPidFile ${APACHE_PID_FILE}\nUser ${APACHE_RUN_USER}\nGroup ${APACHE_RUN_GROUP}\nIncludeOptional mods-enabled/*.load\nInclude ports.conf\nIncludeOptional sites-enabled/*.conf\n";
const APACHE2_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Apache2 Ubuntu Default Page: It works</title>\n</head>\n<body>\n<h1>Apache2 Default Page</h1>\n<p>It works!</p>\n</body>\n</html>\n";
const SSHD_CONFIG: &str = "Include /etc/ssh/sshd_config.d/*.conf\n#Port 22\nPermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding no\nSubsystem sftp /usr/libexec/openssh/sftp-server\n";
const CHRONY_CONF: &str = "# Amazon Time Sync Service\nserver 169.254.169.123 prefer iburst minpoll 4 maxpoll 4\ndriftfile /var/lib/chrony/drift\nmakestep 1.0 3\nrtcsync\n";
const DOCKER_SYSCONFIG: &str = "OPTIONS=\"--default-ulimit nofile=32768:65536\"\n";
const REDIS_CONF: &str =
    "bind 127.0.0.1 -::1\nprotected-mode yes\nport 6379\ndaemonize no\nsupervised systemd\n";
const PHP_FPM_CONF: &str = "[www]\nuser = apache\ngroup = apache\nlisten = /run/php-fpm/www.sock\npm = dynamic\npm.max_children = 50\n";
const FAIL2BAN_JAIL: &str = "[DEFAULT]\nbantime = 10m\nfindtime = 10m\nmaxretry = 5\n\n[sshd]\nport = ssh\nlogpath = %(sshd_log)s\n";
const PG_CONF: &str =
    "data_directory = '/var/lib/postgresql/16/main'\nlisten_addresses = 'localhost'\nport = 5432\n";
const CLOUDWATCH_CONFIG_DIR: &str = "/opt/aws/amazon-cloudwatch-agent/etc";

/// Every package the simulated repositories know; a name appears once per set of OS families.
pub(crate) static CATALOG: &[PackageSpec] = &[
    // ---- the base systems ----
    pkg("bash", OS_LINUX, "5.2.15", "The GNU Bourne Again shell").cmds(&["bash", "sh"]),
    pkg(
        "coreutils",
        OS_LINUX,
        "8.32",
        "A set of basic GNU tools commonly used in shell scripts",
    )
    .cmds(COREUTILS),
    pkg("grep", OS_LINUX, "3.8", "Pattern matching utilities").cmds(&["grep", "egrep", "fgrep"]),
    pkg("sed", OS_LINUX, "4.8", "A GNU stream text editor").cmds(&["sed"]),
    pkg("tar", OS_LINUX, "1.34", "GNU file archiving program").cmds(&["tar"]),
    pkg("gzip", OS_LINUX, "1.12", "The GNU data compression program")
        .cmds(&["gzip", "gunzip", "zcat"]),
    pkg(
        "less",
        OS_LINUX,
        "608",
        "A text file browser similar to more, but better",
    )
    .cmds(&["less", "more"]),
    pkg(
        "util-linux",
        OS_LINUX,
        "2.37.4",
        "A collection of basic system utilities",
    )
    .cmds(&[
        "mount",
        "umount",
        "lsblk",
        "blkid",
        "findmnt",
        "mkfs",
        "mkfs.xfs",
        "mkfs.ext4",
        "kill",
        "logger",
        "su",
        "growpart",
        "xfs_growfs",
        "resize2fs",
        "file",
        "swapon",
        "mkswap",
        "fallocate",
    ]),
    pkg(
        "shadow-utils",
        OS_RPM,
        "4.9",
        "Utilities for managing accounts and shadow password files",
    )
    .cmds(&[
        "useradd", "userdel", "usermod", "groupadd", "groupdel", "adduser", "chpasswd", "passwd",
    ]),
    pkg(
        "passwd",
        OS_UBUNTU,
        "4.13",
        "change and administer password and group data",
    )
    .cmds(&[
        "useradd", "userdel", "usermod", "groupadd", "groupdel", "chpasswd", "passwd",
    ]),
    pkg(
        "adduser",
        OS_UBUNTU,
        "3.137",
        "add and remove users and groups",
    )
    .cmds(&["adduser", "deluser"]),
    pkg(
        "systemd",
        OS_SYSTEMD,
        "252.23",
        "System and Service Manager",
    )
    .cmds(&[
        "systemctl",
        "journalctl",
        "hostnamectl",
        "timedatectl",
        "service",
    ]),
    pkg(
        "initscripts",
        OS_LEGACY,
        "9.03.58",
        "The inittab file and the /etc/init.d scripts",
    )
    .cmds(&["service", "chkconfig"]),
    pkg("dnf", OS_DNF, "4.14.0", "Package manager").cmds(&["dnf", "yum"]),
    pkg(
        "yum",
        OS_AL2 | OS_LEGACY,
        "3.4.3",
        "RPM package installer/updater/manager",
    )
    .cmds(&["yum"]),
    pkg(
        "rpm",
        OS_RPM,
        "4.16.1.3",
        "The RPM package management system",
    )
    .cmds(&["rpm"]),
    pkg(
        "amazon-linux-extras",
        OS_AL2,
        "2.0.3",
        "Amazon Linux Extras topics",
    )
    .cmds(&["amazon-linux-extras"]),
    pkg("apt", OS_UBUNTU, "2.7.14", "commandline package manager").cmds(&[
        "apt",
        "apt-get",
        "apt-cache",
    ]),
    pkg(
        "dpkg",
        OS_UBUNTU,
        "1.22.6",
        "Debian package management system",
    )
    .cmds(&["dpkg", "dpkg-query"]),
    pkg(
        "snapd",
        OS_UBUNTU,
        "2.63",
        "Daemon and tooling that enable snap packages",
    )
    .cmds(&["snap"])
    .svc(&["snapd"]),
    pkg(
        "openssh-server",
        OS_RPM,
        "8.7p1",
        "An open source SSH server daemon",
    )
    .cmds(&["sshd"])
    .svc(&["sshd"])
    .files(&[("/etc/ssh/sshd_config", SSHD_CONFIG)]),
    pkg(
        "openssh-server",
        OS_UBUNTU,
        "9.6p1",
        "secure shell (SSH) server, for secure access from remote machines",
    )
    .cmds(&["sshd"])
    .svc(&["ssh"])
    .files(&[("/etc/ssh/sshd_config", SSHD_CONFIG)]),
    pkg(
        "openssh-clients",
        OS_RPM,
        "8.7p1",
        "An open source SSH client applications",
    )
    .cmds(&["ssh", "scp", "ssh-keygen"]),
    pkg(
        "openssh-client",
        OS_UBUNTU,
        "9.6p1",
        "secure shell (SSH) client",
    )
    .cmds(&["ssh", "scp", "ssh-keygen"]),
    pkg("amazon-ssm-agent", OS_RPM, "3.3.1142.0", "Amazon SSM Agent")
        .cmds(&["amazon-ssm-agent"])
        .svc(&["amazon-ssm-agent"]),
    pkg(
        "amazon-ssm-agent",
        OS_UBUNTU,
        "3.3.1142.0",
        "Amazon SSM Agent",
    )
    .cmds(&["amazon-ssm-agent"])
    .svc(&["amazon-ssm-agent"])
    .snap(),
    pkg(
        "curl",
        OS_LINUX,
        "8.5.0",
        "A utility for getting files from remote servers",
    )
    .cmds(&["curl"]),
    pkg(
        "wget",
        OS_LINUX,
        "1.21.3",
        "A utility for retrieving files using the HTTP or FTP protocols",
    )
    .cmds(&["wget"]),
    pkg("python3", OS_MODERN_RPM, "3.9.16", "Python 3.9 interpreter").cmds(&["python3"]),
    pkg(
        "python3",
        OS_UBUNTU,
        "3.12.3",
        "interactive high-level object-oriented language",
    )
    .cmds(&["python3"]),
    pkg(
        "python",
        OS_AL2,
        "2.7.18",
        "An interpreted, interactive, object-oriented programming language",
    )
    .cmds(&["python", "python2"]),
    pkg(
        "python27",
        OS_LEGACY,
        "2.7.18",
        "An interpreted, interactive, object-oriented programming language",
    )
    .cmds(&["python", "python2.7"]),
    pkg(
        "sudo",
        OS_LINUX,
        "1.9.15",
        "Allows restricted root access for specified users",
    )
    .cmds(&["sudo"]),
    pkg(
        "cloud-init",
        OS_LINUX,
        "22.2.2",
        "Cloud instance init scripts",
    )
    .cmds(&["cloud-init"]),
    pkg("chrony", OS_MODERN_RPM, "4.3", "An NTP client/server")
        .cmds(&["chronyc"])
        .svc(&["chronyd"])
        .files(&[("/etc/chrony.conf", CHRONY_CONF)]),
    pkg(
        "chrony",
        OS_UBUNTU,
        "4.5",
        "Versatile implementation of the Network Time Protocol",
    )
    .cmds(&["chronyc"])
    .svc(&["chrony"])
    .files(&[("/etc/chrony/chrony.conf", CHRONY_CONF)]),
    pkg("ntp", OS_LEGACY, "4.2.8p15", "The NTP daemon and utilities").svc(&["ntpd"]),
    pkg(
        "cronie",
        OS_RPM,
        "1.5.7",
        "Cron daemon for executing programs at set times",
    )
    .cmds(&["crontab"])
    .svc(&["crond"]),
    pkg("cron", OS_UBUNTU, "3.0pl1", "process scheduling daemon")
        .cmds(&["crontab"])
        .svc(&["cron"]),
    pkg("glibc", OS_RPM, "2.34", "The GNU libc libraries"),
    pkg(
        "libc6",
        OS_UBUNTU,
        "2.39",
        "GNU C Library: Shared libraries",
    ),
    pkg("kernel", OS_RPM, "6.1.115", "The Linux kernel"),
    pkg(
        "linux-aws",
        OS_UBUNTU,
        "6.8.0.1018",
        "Complete Linux kernel for Amazon Web Services (AWS) systems",
    ),
    pkg(
        "ec2-instance-connect",
        OS_AMAZON | OS_UBUNTU,
        "1.1",
        "EC2 Instance Connect",
    ),
    pkg(
        "awscli-2",
        OS_AL2023,
        "2.15.30",
        "Universal Command Line Environment for AWS, version 2",
    )
    .cmds(&["aws"])
    .provides(&["awscli", "aws-cli"]),
    pkg(
        "awscli",
        OS_AL2,
        "1.18.147",
        "Universal Command Line Environment for AWS",
    )
    .cmds(&["aws"]),
    pkg(
        "aws-cli",
        OS_LEGACY,
        "1.18.107",
        "Universal Command Line Environment for AWS",
    )
    .cmds(&["aws"]),
    pkg(
        "aws-cli",
        OS_UBUNTU,
        "2.17.0",
        "Universal Command Line Environment for AWS",
    )
    .cmds(&["aws"])
    .snap(),
    pkg(
        "vim-minimal",
        OS_RPM,
        "9.0.2153",
        "A minimal version of the VIM editor",
    )
    .cmds(&["vi"]),
    pkg(
        "vim",
        OS_UBUNTU,
        "9.1.0016",
        "Vi IMproved - enhanced vi editor",
    )
    .cmds(&["vim", "vi"]),
    pkg("nano", OS_LINUX, "7.2", "small, friendly text editor").cmds(&["nano"]),
    pkg(
        "ufw",
        OS_UBUNTU,
        "0.36.2",
        "program for managing a Netfilter firewall",
    )
    .cmds(&["ufw"]),
    // ---- web servers ----
    pkg(
        "nginx",
        OS_RPM,
        "1.24.0",
        "A high performance web server and reverse proxy server",
    )
    .cmds(&["nginx"])
    .svc(&["nginx"])
    .files(&[
        ("/etc/nginx/nginx.conf", NGINX_CONF_RPM),
        ("/usr/share/nginx/html/index.html", NGINX_INDEX),
    ])
    .dirs(&["/etc/nginx/conf.d", "/var/log/nginx"])
    .account("nginx")
    .al2_topic("nginx1"),
    pkg(
        "nginx",
        OS_UBUNTU,
        "1.24.0",
        "small, powerful, scalable web/proxy server",
    )
    .cmds(&["nginx"])
    .svc(&["nginx"])
    .files(&[
        ("/etc/nginx/nginx.conf", NGINX_CONF_DEB),
        ("/etc/nginx/sites-available/default", NGINX_SITE_DEB),
        ("/var/www/html/index.nginx-debian.html", NGINX_INDEX),
    ])
    .dirs(&[
        "/etc/nginx/sites-enabled",
        "/etc/nginx/conf.d",
        "/var/log/nginx",
    ]),
    pkg("httpd", OS_RPM, "2.4.62", "Apache HTTP Server")
        .cmds(&["httpd", "apachectl"])
        .svc(&["httpd"])
        .files(&[
            ("/etc/httpd/conf/httpd.conf", HTTPD_CONF),
            ("/var/www/html/index.html", HTTPD_INDEX),
        ])
        .dirs(&["/etc/httpd/conf.d", "/var/log/httpd"])
        .account("apache"),
    pkg("apache2", OS_UBUNTU, "2.4.58", "Apache HTTP Server")
        .cmds(&[
            "apache2ctl",
            "apachectl",
            "a2enmod",
            "a2ensite",
            "a2dissite",
        ])
        .svc(&["apache2"])
        .files(&[
            ("/etc/apache2/apache2.conf", APACHE2_CONF),
            ("/var/www/html/index.html", APACHE2_INDEX),
        ])
        .dirs(&["/etc/apache2/sites-enabled", "/var/log/apache2"]),
    // ---- languages and their package managers ----
    pkg("git", OS_LINUX, "2.40.1", "Fast Version Control System").cmds(&["git"]),
    pkg("nodejs", OS_DNF, "18.20.4", "JavaScript runtime")
        .cmds(&["node"])
        .recommends(&["nodejs-npm"]),
    pkg("nodejs-npm", OS_DNF, "10.7.0", "Node.js Package Manager")
        .cmds(&["npm", "npx"])
        .requires(&["nodejs"])
        .provides(&["npm"]),
    pkg(
        "nodejs",
        OS_UBUNTU,
        "18.19.1",
        "evented I/O for V8 javascript - runtime executable",
    )
    .cmds(&["node", "nodejs"]),
    pkg("npm", OS_UBUNTU, "9.2.0", "package manager for Node.js")
        .cmds(&["npm", "npx"])
        .requires(&["nodejs"]),
    pkg(
        "python3-pip",
        OS_MODERN_RPM | OS_UBUNTU,
        "21.3.1",
        "A tool for installing and managing Python3 packages",
    )
    .cmds(&["pip3", "pip"]),
    pkg(
        "python3-venv",
        OS_UBUNTU,
        "3.12.3",
        "venv module for python3 (default python3 version)",
    ),
    pkg(
        "php",
        OS_MODERN_RPM,
        "8.2.20",
        "PHP scripting language for creating dynamic web sites",
    )
    .cmds(&["php"])
    .al2_topic("php8.2"),
    pkg(
        "php-fpm",
        OS_MODERN_RPM,
        "8.2.20",
        "PHP FastCGI Process Manager",
    )
    .cmds(&["php-fpm"])
    .svc(&["php-fpm"])
    .files(&[("/etc/php-fpm.d/www.conf", PHP_FPM_CONF)])
    .al2_topic("php8.2"),
    pkg(
        "php",
        OS_UBUNTU,
        "8.3.6",
        "server-side, HTML-embedded scripting language (default)",
    )
    .cmds(&["php"])
    .recommends(&["apache2"]),
    pkg(
        "php-fpm",
        OS_UBUNTU,
        "8.3.6",
        "server-side, HTML-embedded scripting language (FPM-CGI binary) (default)",
    )
    .cmds(&["php-fpm8.3"])
    .svc(&["php8.3-fpm"]),
    pkg(
        "java-17-amazon-corretto",
        OS_AMAZON,
        "17.0.12",
        "Amazon Corretto runtime environment",
    )
    .cmds(&["java", "javac"])
    .provides(&[
        "java-17-amazon-corretto-devel",
        "java-17-amazon-corretto-headless",
    ]),
    pkg(
        "java-21-amazon-corretto",
        OS_AL2023,
        "21.0.4",
        "Amazon Corretto runtime environment",
    )
    .cmds(&["java", "javac"]),
    pkg(
        "java-17-openjdk",
        OS_RHEL,
        "17.0.12",
        "OpenJDK 17 Runtime Environment",
    )
    .cmds(&["java"]),
    pkg(
        "openjdk-17-jdk",
        OS_UBUNTU,
        "17.0.12",
        "OpenJDK Development Kit (JDK)",
    )
    .cmds(&["java", "javac"]),
    pkg(
        "openjdk-17-jre-headless",
        OS_UBUNTU,
        "17.0.12",
        "OpenJDK Java runtime, using Hotspot JIT (headless)",
    )
    .cmds(&["java"]),
    pkg(
        "golang",
        OS_MODERN_RPM,
        "1.22.7",
        "The Go Programming Language",
    )
    .cmds(&["go"]),
    pkg(
        "golang-go",
        OS_UBUNTU,
        "1.22.2",
        "Go programming language compiler, linker, compiled stdlib",
    )
    .cmds(&["go"]),
    pkg(
        "ruby",
        OS_LINUX,
        "3.2.4",
        "An interpreter of object-oriented scripting language",
    )
    .cmds(&["ruby", "gem"]),
    pkg(
        "gcc",
        OS_LINUX,
        "11.4.1",
        "Various compilers (C, C++, Objective-C, ...)",
    )
    .cmds(&["gcc", "cc"]),
    pkg(
        "make",
        OS_LINUX,
        "4.3",
        "A GNU tool which simplifies the build process for users",
    )
    .cmds(&["make"]),
    pkg(
        "build-essential",
        OS_UBUNTU,
        "12.10",
        "Informational list of build-essential packages",
    )
    .requires(&["gcc", "make"]),
    // ---- containers and databases ----
    pkg(
        "docker",
        OS_AMAZON | OS_LEGACY,
        "25.0.6",
        "Automates deployment of containerized applications",
    )
    .cmds(&["docker", "dockerd"])
    .svc(&["docker"])
    .group("docker")
    .files(&[("/etc/sysconfig/docker", DOCKER_SYSCONFIG)]),
    pkg("docker.io", OS_UBUNTU, "24.0.7", "Linux container runtime")
        .cmds(&["docker", "dockerd"])
        .svc(&["docker"])
        .group("docker"),
    pkg(
        "podman",
        OS_RHEL,
        "4.9.4",
        "Manage Pods, Containers and Container Images",
    )
    .cmds(&["podman"]),
    pkg(
        "mariadb105-server",
        OS_AL2023,
        "10.5.25",
        "The MariaDB server and related files",
    )
    .cmds(&["mysqld", "mariadbd", "mysql_secure_installation"])
    .svc(&["mariadb"])
    .account("mysql")
    .requires(&["mariadb105"])
    .dirs(&["/var/lib/mysql"]),
    pkg(
        "mariadb105",
        OS_AL2023,
        "10.5.25",
        "A very fast and robust SQL database server",
    )
    .cmds(&["mysql", "mariadb"]),
    pkg(
        "mariadb-server",
        OS_AL2 | OS_RHEL,
        "10.5.22",
        "The MariaDB server and related files",
    )
    .cmds(&["mysqld", "mysql_secure_installation"])
    .svc(&["mariadb"])
    .account("mysql")
    .requires(&["mariadb"])
    .dirs(&["/var/lib/mysql"]),
    pkg(
        "mariadb",
        OS_AL2 | OS_RHEL,
        "10.5.22",
        "A very fast and robust SQL database server",
    )
    .cmds(&["mysql"]),
    pkg(
        "mariadb-server",
        OS_UBUNTU,
        "10.11.8",
        "MariaDB database server",
    )
    .cmds(&["mysqld", "mariadbd", "mysql_secure_installation"])
    .svc(&["mariadb"])
    .account("mysql")
    .requires(&["mariadb-client"])
    .dirs(&["/var/lib/mysql"]),
    pkg(
        "mariadb-client",
        OS_UBUNTU,
        "10.11.8",
        "MariaDB database client binaries",
    )
    .cmds(&["mysql", "mariadb"]),
    pkg("mysql-server", OS_UBUNTU, "8.0.39", "MySQL database server")
        .cmds(&["mysqld", "mysql_secure_installation"])
        .svc(&["mysql"])
        .account("mysql")
        .requires(&["mysql-client"])
        .dirs(&["/var/lib/mysql"]),
    pkg("mysql-client", OS_UBUNTU, "8.0.39", "MySQL database client").cmds(&["mysql"]),
    pkg(
        "postgresql15-server",
        OS_AL2023,
        "15.8",
        "The programs needed to create and run a PostgreSQL server",
    )
    .cmds(&["postgres", "postgresql-setup", "initdb"])
    .svc(&["postgresql"])
    .account("postgres")
    .requires(&["postgresql15"])
    .dirs(&["/var/lib/pgsql"]),
    pkg(
        "postgresql15",
        OS_AL2023,
        "15.8",
        "PostgreSQL client programs",
    )
    .cmds(&["psql", "pg_dump"]),
    pkg(
        "postgresql-server",
        OS_AL2 | OS_RHEL,
        "13.16",
        "The programs needed to create and run a PostgreSQL server",
    )
    .cmds(&["postgres", "postgresql-setup", "initdb"])
    .svc(&["postgresql"])
    .account("postgres")
    .requires(&["postgresql"])
    .dirs(&["/var/lib/pgsql"]),
    pkg(
        "postgresql",
        OS_AL2 | OS_RHEL,
        "13.16",
        "PostgreSQL client programs",
    )
    .cmds(&["psql", "pg_dump"]),
    pkg(
        "postgresql",
        OS_UBUNTU,
        "16.4",
        "object-relational SQL database (supported version)",
    )
    .cmds(&["psql", "pg_dump", "pg_ctlcluster"])
    .svc(&["postgresql"])
    .account("postgres")
    .files(&[
        ("/var/lib/postgresql/16/main/PG_VERSION", "16\n"),
        ("/etc/postgresql/16/main/postgresql.conf", PG_CONF),
    ]),
    pkg(
        "redis6",
        OS_AL2023,
        "6.2.14",
        "A persistent key-value database",
    )
    .cmds(&["redis6-server", "redis6-cli"])
    .svc(&["redis6"])
    .account("redis")
    .files(&[("/etc/redis6/redis6.conf", REDIS_CONF)]),
    pkg(
        "redis",
        OS_AL2 | OS_RHEL,
        "6.2.14",
        "A persistent key-value database",
    )
    .cmds(&["redis-server", "redis-cli"])
    .svc(&["redis"])
    .account("redis")
    .files(&[("/etc/redis/redis.conf", REDIS_CONF)])
    .al2_topic("redis6"),
    pkg(
        "redis-server",
        OS_UBUNTU,
        "7.0.15",
        "Persistent key-value database with network interface",
    )
    .cmds(&["redis-server"])
    .svc(&["redis-server"])
    .account("redis")
    .requires(&["redis-tools"])
    .files(&[("/etc/redis/redis.conf", REDIS_CONF)]),
    pkg(
        "redis-tools",
        OS_UBUNTU,
        "7.0.15",
        "Persistent key-value database with network interface (client)",
    )
    .cmds(&["redis-cli"]),
    pkg(
        "sqlite",
        OS_RPM,
        "3.40.0",
        "Library that implements an embeddable SQL database engine",
    )
    .cmds(&["sqlite3"]),
    pkg(
        "sqlite3",
        OS_UBUNTU,
        "3.45.1",
        "Command line interface for SQLite 3",
    )
    .cmds(&["sqlite3"]),
    // ---- AWS tools ----
    pkg(
        "amazon-cloudwatch-agent",
        OS_AMAZON,
        "1.300044.0",
        "Amazon CloudWatch Agent",
    )
    .cmds(&["amazon-cloudwatch-agent-ctl"])
    .svc(&["amazon-cloudwatch-agent"])
    .dirs(&[
        CLOUDWATCH_CONFIG_DIR,
        "/opt/aws/amazon-cloudwatch-agent/bin",
    ]),
    pkg(
        "amazon-cloudwatch-agent",
        OS_UBUNTU,
        "1.300044.0",
        "Amazon CloudWatch Agent",
    )
    .cmds(&["amazon-cloudwatch-agent-ctl"])
    .svc(&["amazon-cloudwatch-agent"])
    .dirs(&[
        CLOUDWATCH_CONFIG_DIR,
        "/opt/aws/amazon-cloudwatch-agent/bin",
    ])
    .download_only(),
    pkg(
        "amazon-efs-utils",
        OS_AMAZON,
        "2.0.4",
        "Utility for mounting Amazon EFS file systems",
    )
    .cmds(&["mount.efs"])
    .requires(&["nfs-utils"]),
    // ---- everyday tools ----
    pkg(
        "vim-enhanced",
        OS_RPM,
        "9.0.2153",
        "A version of the VIM editor which includes recent enhancements",
    )
    .cmds(&["vim"])
    .provides(&["vim"]),
    pkg(
        "htop",
        OS_AL2023 | OS_UBUNTU,
        "3.3.0",
        "Interactive process viewer",
    )
    .cmds(&["htop"]),
    pkg("tmux", OS_LINUX, "3.2a", "A terminal multiplexer").cmds(&["tmux"]),
    pkg(
        "unzip",
        OS_LINUX,
        "6.0",
        "A utility for unpacking zip files",
    )
    .cmds(&["unzip"]),
    pkg(
        "zip",
        OS_LINUX,
        "3.0",
        "A file compression and packaging utility",
    )
    .cmds(&["zip"]),
    pkg("jq", OS_LINUX, "1.7.1", "Command-line JSON processor").cmds(&["jq"]),
    pkg("tree", OS_LINUX, "1.8.0", "File system tree viewer").cmds(&["tree"]),
    pkg(
        "rsync",
        OS_LINUX,
        "3.2.7",
        "A program for synchronizing files over a network",
    )
    .cmds(&["rsync"]),
    pkg(
        "telnet",
        OS_LINUX,
        "0.17",
        "The client program for the Telnet remote login protocol",
    )
    .cmds(&["telnet"]),
    pkg(
        "lsof",
        OS_LINUX,
        "4.94.0",
        "A utility which lists open files on a Linux/UNIX system",
    )
    .cmds(&["lsof"]),
    pkg(
        "strace",
        OS_LINUX,
        "6.6",
        "Tracks and displays system calls associated with a running process",
    )
    .cmds(&["strace"]),
    pkg(
        "bind-utils",
        OS_RPM,
        "9.16.48",
        "Utilities for querying DNS name servers",
    )
    .cmds(&["dig", "nslookup", "host"]),
    pkg(
        "dnsutils",
        OS_UBUNTU,
        "9.18.28",
        "Transitional package for bind9-dnsutils",
    )
    .cmds(&["dig", "nslookup", "host"]),
    pkg("nmap-ncat", OS_RPM, "7.93", "Nmap's Netcat replacement")
        .cmds(&["nc", "ncat"])
        .provides(&["nc"]),
    pkg(
        "netcat-openbsd",
        OS_UBUNTU,
        "1.226",
        "TCP/IP swiss army knife",
    )
    .cmds(&["nc"]),
    pkg(
        "nfs-utils",
        OS_RPM,
        "2.5.4",
        "NFS utilities and supporting clients and daemons",
    )
    .cmds(&["mount.nfs", "showmount"]),
    pkg(
        "nfs-common",
        OS_UBUNTU,
        "2.6.4",
        "NFS support files common to client and server",
    )
    .cmds(&["mount.nfs", "showmount"]),
    pkg(
        "stress",
        OS_AL2023 | OS_UBUNTU,
        "1.0.4",
        "A tool to put given subsystems under a specified load",
    )
    .cmds(&["stress"]),
    pkg(
        "stress-ng",
        OS_DNF | OS_UBUNTU,
        "0.17.06",
        "Stress test a computer system in various ways",
    )
    .cmds(&["stress-ng"]),
    pkg(
        "fail2ban",
        OS_UBUNTU,
        "1.0.2",
        "ban hosts that cause multiple authentication errors",
    )
    .cmds(&["fail2ban-client"])
    .svc(&["fail2ban"])
    .files(&[("/etc/fail2ban/jail.conf", FAIL2BAN_JAIL)]),
    pkg(
        "certbot",
        OS_AL2023 | OS_UBUNTU,
        "2.9.0",
        "automatically configure HTTPS using Let's Encrypt",
    )
    .cmds(&["certbot"]),
    pkg(
        "epel-release",
        OS_AL2,
        "7",
        "Extra Packages for Enterprise Linux repository configuration",
    )
    .al2_topic("epel"),
];

/// Packages of a freshly installed system, per OS.
pub(crate) fn base_packages(os: OsFamily) -> &'static [&'static str] {
    const AL2023: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "systemd",
        "dnf",
        "rpm",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "glibc",
        "kernel",
        "ec2-instance-connect",
        "awscli-2",
        "vim-minimal",
    ];
    const AL2: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "systemd",
        "yum",
        "rpm",
        "amazon-linux-extras",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "wget",
        "python",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "cronie",
        "glibc",
        "kernel",
        "ec2-instance-connect",
        "awscli",
        "vim-minimal",
    ];
    const RHEL: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "systemd",
        "dnf",
        "rpm",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "cronie",
        "glibc",
        "kernel",
        "vim-minimal",
    ];
    const UBUNTU: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "passwd",
        "adduser",
        "systemd",
        "apt",
        "dpkg",
        "snapd",
        "openssh-server",
        "openssh-client",
        "amazon-ssm-agent",
        "curl",
        "wget",
        "python3",
        "sudo",
        "cloud-init",
        "chrony",
        "cron",
        "libc6",
        "linux-aws",
        "ec2-instance-connect",
        "vim",
        "nano",
        "ufw",
    ];
    const LEGACY: &[&str] = &[
        "bash",
        "coreutils",
        "grep",
        "sed",
        "tar",
        "gzip",
        "less",
        "util-linux",
        "shadow-utils",
        "initscripts",
        "yum",
        "rpm",
        "openssh-server",
        "openssh-clients",
        "amazon-ssm-agent",
        "curl",
        "wget",
        "python27",
        "sudo",
        "cloud-init",
        "ntp",
        "cronie",
        "glibc",
        "kernel",
        "aws-cli",
        "vim-minimal",
    ];
    match os {
        OsFamily::AmazonLinux2023 => AL2023,
        OsFamily::AmazonLinux2 => AL2,
        OsFamily::Rhel => RHEL,
        OsFamily::Ubuntu => UBUNTU,
        OsFamily::LegacyLinux => LEGACY,
        OsFamily::Windows => &[],
    }
}

/// Packages that package managers refuse to remove (dnf's "protected packages").
pub(crate) const PROTECTED_PACKAGES: &[&str] = &[
    "bash",
    "coreutils",
    "systemd",
    "dnf",
    "yum",
    "rpm",
    "glibc",
    "kernel",
    "sudo",
    "apt",
    "dpkg",
    "libc6",
    "linux-aws",
    "initscripts",
    "shadow-utils",
    "passwd",
    "util-linux",
];

/// Amazon Linux 2 `amazon-linux-extras` topics and the packages they install.
pub(crate) const AL2_TOPICS: &[(&str, &[&str])] = &[
    ("docker", &["docker"]),
    ("epel", &["epel-release"]),
    ("mariadb10.5", &["mariadb-server"]),
    ("nginx1", &["nginx"]),
    ("php8.2", &["php", "php-fpm"]),
    ("postgresql14", &["postgresql", "postgresql-server"]),
    ("redis6", &["redis"]),
];

/// dnf/yum package groups.
pub(crate) const PACKAGE_GROUPS: &[(&str, &[&str])] =
    &[("development tools", &["gcc", "make", "git"])];

/// Ubuntu 24.04 knows these names but has nothing to install for them.
pub(crate) const NO_INSTALL_CANDIDATE_UBUNTU: &[&str] = &["awscli"];

/// A repository package with a name, OS families, version and summary; the builder methods
/// below add the rest, so the table reads like a list of spec files.
const fn pkg(
    name: &'static str,
    oses: u8,
    version: &'static str,
    summary: &'static str,
) -> PackageSpec {
    PackageSpec {
        name,
        oses,
        version,
        summary,
        commands: &[],
        services: &[],
        files: &[],
        dirs: &[],
        requires: &[],
        recommends: &[],
        provides: &[],
        account: None,
        group: None,
        al2_topic: None,
        channel: Channel::Repo,
    }
}

impl PackageSpec {
    const fn cmds(self, commands: &'static [&'static str]) -> Self {
        PackageSpec { commands, ..self }
    }

    const fn svc(self, services: &'static [&'static str]) -> Self {
        PackageSpec { services, ..self }
    }

    const fn files(self, files: &'static [(&'static str, &'static str)]) -> Self {
        PackageSpec { files, ..self }
    }

    const fn dirs(self, dirs: &'static [&'static str]) -> Self {
        PackageSpec { dirs, ..self }
    }

    const fn requires(self, requires: &'static [&'static str]) -> Self {
        PackageSpec { requires, ..self }
    }

    const fn recommends(self, recommends: &'static [&'static str]) -> Self {
        PackageSpec { recommends, ..self }
    }

    const fn provides(self, provides: &'static [&'static str]) -> Self {
        PackageSpec { provides, ..self }
    }

    const fn account(self, name: &'static str) -> Self {
        PackageSpec {
            account: Some(name),
            ..self
        }
    }

    const fn group(self, name: &'static str) -> Self {
        PackageSpec {
            group: Some(name),
            ..self
        }
    }

    const fn al2_topic(self, topic: &'static str) -> Self {
        PackageSpec {
            al2_topic: Some(topic),
            ..self
        }
    }

    const fn snap(self) -> Self {
        PackageSpec {
            channel: Channel::Snap,
            ..self
        }
    }

    const fn download_only(self) -> Self {
        PackageSpec {
            channel: Channel::Download,
            ..self
        }
    }
}

/// TEMPORARY: the generated tables equal the hand-written ones, entry by entry.
#[test]
fn generated_catalogue_equals_the_hand_written_one() {
    use super::table as new;
    assert_eq!(new::CATALOG.len(), CATALOG.len(), "number of packages");
    for (index, (generated, written)) in new::CATALOG.iter().zip(CATALOG).enumerate() {
        // Debug prints every field, `oses` as its number, so equal text means equal entries.
        assert_eq!(
            format!("{generated:#?}"),
            format!("{written:#?}"),
            "entry {index} ({})",
            written.name
        );
    }
    for os in OsFamily::ALL {
        assert_eq!(
            new::base_packages(os),
            base_packages(os),
            "base system of {os:?}"
        );
    }
    assert_eq!(new::PROTECTED_PACKAGES, PROTECTED_PACKAGES);
    assert_eq!(new::AL2_TOPICS, AL2_TOPICS);
    assert_eq!(new::PACKAGE_GROUPS, PACKAGE_GROUPS);
    assert_eq!(
        new::NO_INSTALL_CANDIDATE_UBUNTU,
        NO_INSTALL_CANDIDATE_UBUNTU
    );
}
