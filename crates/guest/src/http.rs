//! What HTTP requests reach from inside the guest: its own web server on port 80, the instance
//! metadata service, and placeholder downloads from anywhere else.

use std::collections::BTreeSet;

use super::os::OsFamily;
use super::paths::{child_path, normalize_path};
use super::{Guest, MAX_METADATA_ENTRIES};

const IMDS_HOST: &str = "169.254.169.254";
const IMDS_TOKEN: &str = "AQAEAEsimulatedIMDSv2token==";

/// An HTTP response: status, body and the `Server` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpReply {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) server: String,
}

/// The parts of a URL that decide where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    pub(crate) scheme: String,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) path: String,
}

/// Parses `http://host:port/path` (the scheme defaults to `http`, the port to the scheme's);
/// `None` when there is no host or the port is not a number.
pub(crate) fn parse_url(raw: &str) -> Option<Url> {
    let (scheme, rest) = match raw.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_string(), raw),
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !host.is_empty() => {
            (host, port.parse().ok()?)
        }
        _ => (authority, default_port),
    };
    if host.is_empty() {
        return None;
    }
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    Some(Url {
        scheme,
        host: host.trim_matches(['[', ']']).to_ascii_lowercase(),
        port,
        path,
    })
}

/// What an HTTP request from inside the guest gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fetch {
    Reply(HttpReply),
    Refused,
}

pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Unknown",
    }
}

/// The 403/404 page of nginx or Apache.
fn error_page(server: &str, status: u16) -> String {
    let reason = if status == 403 {
        "Forbidden"
    } else {
        "Not Found"
    };
    if server == "nginx" {
        format!("<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n")
    } else {
        format!("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n")
    }
}

impl Guest {
    /// Sets one instance-metadata entry, served at `http://169.254.169.254/latest/<key>`
    /// (e.g. key `meta-data/instance-id`). Returns false when the table is full.
    pub fn set_instance_metadata(&mut self, key: &str, value: &str) -> bool {
        let key = key.trim_matches('/').to_string();
        if !self.metadata.contains_key(&key) && self.metadata.len() >= MAX_METADATA_ENTRIES {
            return false;
        }
        self.metadata.insert(key, value.to_string());
        true
    }

    /// Forgets all instance metadata (an image's instances get their own).
    pub fn clear_instance_metadata(&mut self) {
        self.metadata.clear();
    }

    /// What `curl http://localhost<path>` would get: `None` when nothing listens on port 80,
    /// else the HTTP status and body. Load-balancer health checks can use this.
    pub fn http_get(&self, path: &str) -> Option<(u16, String)> {
        self.serve_http(80, path)
            .map(|reply| (reply.status, reply.body))
    }

    /// What [`Guest::http_get`] gets once this system has booted (the enabled services
    /// started, the others stopped): what an image, or an instance still pending, will serve.
    pub fn http_get_once_booted(&self, path: &str) -> Option<(u16, String)> {
        let mut booted = self.clone();
        booted.boot();
        booted.http_get(path)
    }

    fn web_root(&self, server: &str) -> &'static str {
        if server == "nginx" && !self.os.is_debian() {
            "/usr/share/nginx/html"
        } else {
            "/var/www/html"
        }
    }

    /// The `Server` header of the running web server.
    fn server_header(&self, server: &str) -> String {
        match (server, self.os) {
            ("nginx", OsFamily::Ubuntu) => "nginx/1.24.0 (Ubuntu)".into(),
            ("nginx", _) => "nginx/1.24.0".into(),
            ("apache2", _) => "Apache/2.4.58 (Ubuntu)".into(),
            (_, OsFamily::Rhel) => "Apache/2.4.62 (Red Hat Enterprise Linux)".into(),
            _ => "Apache/2.4.62 (Amazon Linux)".into(),
        }
    }

    /// An HTTP GET on this guest's `port`: `None` when nothing listens there.
    fn serve_http(&self, port: u16, path: &str) -> Option<HttpReply> {
        if port != 80 {
            return None;
        }
        let server = self.web_server_active()?;
        let root = self.web_root(server);
        let clean = path.split(['?', '#']).next().unwrap_or("");
        let relative = normalize_path("/", clean);
        let target = if relative == "/" {
            root.to_string()
        } else {
            format!("{root}{relative}")
        };
        let (status, body) = if self.live.is_dir(&target) {
            let indexes: &[&str] = if server == "nginx" {
                &["index.html", "index.htm", "index.nginx-debian.html"]
            } else {
                &["index.html"]
            };
            match indexes
                .iter()
                .find_map(|i| self.live.files.get(&child_path(&target, i)))
            {
                Some(body) => (200, body.clone()),
                None => (403, error_page(server, 403)),
            }
        } else if let Some(body) = self.live.files.get(&target) {
            (200, body.clone())
        } else {
            (404, error_page(server, 404))
        };
        Some(HttpReply {
            status,
            body,
            server: self.server_header(server),
        })
    }

    /// The instance's private address: from instance metadata when set.
    pub(crate) fn private_ip(&self) -> String {
        self.metadata
            .get("meta-data/local-ipv4")
            .cloned()
            .unwrap_or_else(|| "172.31.16.10".to_string())
    }

    /// Whether `host` names this guest.
    fn is_local_host(&self, host: &str) -> bool {
        matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1")
            || host == self.hostname().to_ascii_lowercase()
            || host == self.private_ip()
    }

    /// Local web servers and the instance metadata service are simulated; any other host
    /// answers with a placeholder body (a comment line, so `curl … | bash` does nothing).
    pub(crate) fn fetch(&self, url: &Url, method: &str) -> Fetch {
        if self.is_local_host(&url.host) {
            let served = if url.scheme == "https" {
                None
            } else {
                self.serve_http(url.port, &url.path)
            };
            return served.map_or(Fetch::Refused, Fetch::Reply);
        }
        if url.host == IMDS_HOST {
            return Fetch::Reply(self.imds(&url.path, method));
        }
        let body = format!(
            "# simulated download of {}://{}{}\n",
            url.scheme, url.host, url.path
        );
        Fetch::Reply(HttpReply {
            status: 200,
            body,
            server: "AmazonS3".into(),
        })
    }

    /// The instance metadata service: IMDSv2 tokens, values, and directory listings of keys.
    fn imds(&self, path: &str, method: &str) -> HttpReply {
        let reply = |status: u16, body: String| HttpReply {
            status,
            body,
            server: "EC2ws".into(),
        };
        let not_found = || {
            reply(
                404,
                "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<title>404 - Not Found</title>\n"
                    .into(),
            )
        };
        let key = path
            .trim_start_matches('/')
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        let Some(key) = key
            .strip_prefix("latest")
            .map(|k| k.trim_start_matches('/'))
        else {
            return not_found();
        };
        if key == "api/token" {
            return if method == "PUT" {
                reply(200, IMDS_TOKEN.into())
            } else {
                reply(405, String::new())
            };
        }
        if let Some(value) = self.metadata.get(key) {
            return reply(200, value.clone());
        }
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let mut children = BTreeSet::new();
        for stored in self.metadata.keys().filter(|k| k.starts_with(&prefix)) {
            let rest = &stored[prefix.len()..];
            children.insert(match rest.split_once('/') {
                Some((dir, _)) => format!("{dir}/"),
                None => rest.to_string(),
            });
        }
        if children.is_empty() {
            not_found()
        } else {
            reply(200, children.into_iter().collect::<Vec<_>>().join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn once_booted_the_enabled_web_server_answers() {
        let mut g = al2023();
        run(
            &mut g,
            "dnf install -y nginx\nsystemctl enable nginx\necho hi > /usr/share/nginx/html/index.html",
        );
        // Enabled but not started: nothing answers now; after a boot, nginx does.
        assert_eq!(g.http_get("/"), None);
        let (status, body) = g.http_get_once_booted("/").expect("nginx starts at boot");
        assert_eq!((status, body.trim()), (200, "hi"));
        // The guest itself is untouched.
        assert_eq!(g.http_get("/"), None);
        // A server started now but not enabled does not survive the boot.
        run(&mut g, "systemctl disable nginx\nsystemctl start nginx");
        assert!(g.http_get("/").is_some());
        assert_eq!(g.http_get_once_booted("/"), None);
    }
}
