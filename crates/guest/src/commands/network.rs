//! HTTP clients: `curl` and `wget`.

use super::super::http::{parse_url, reason_phrase, Fetch};
use super::super::paths::base_name;
use super::super::shell::{Outcome, Shell};
use super::args::option_value;
use super::builtins::interpret_escapes;

/// The file `curl -O` and `wget` save to: the URL path's last segment, or `index.html`.
fn download_name(url_path: &str) -> String {
    let name = base_name(url_path);
    if name.is_empty() {
        "index.html".to_string()
    } else {
        name.to_string()
    }
}

impl Shell<'_> {
    pub(crate) fn cmd_curl(&mut self, args: &[String]) -> Outcome {
        let mut silent = false;
        let mut show_error = false;
        let mut fail = false;
        let mut head = false;
        let mut include = false;
        let mut remote_name = false;
        let mut output: Option<String> = None;
        let mut write_out: Option<String> = None;
        let mut method = "GET".to_string();
        let mut url: Option<String> = None;
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            let take_value = |index: &mut usize, inline: Option<&str>| -> String {
                match inline {
                    Some(v) if !v.is_empty() => v.to_string(),
                    _ => {
                        *index += 1;
                        args.get(*index).cloned().unwrap_or_default()
                    }
                }
            };
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (long, None),
                };
                match name {
                    "silent" => silent = true,
                    "show-error" => show_error = true,
                    "fail" | "fail-with-body" => fail = true,
                    "head" => head = true,
                    "include" => include = true,
                    "remote-name" => remote_name = true,
                    "output" => output = Some(take_value(&mut index, inline)),
                    "write-out" => write_out = Some(take_value(&mut index, inline)),
                    "request" => method = take_value(&mut index, inline),
                    "data" | "data-raw" | "data-binary" | "data-urlencode" | "json" | "form"
                    | "upload-file" => {
                        take_value(&mut index, inline);
                        if method == "GET" {
                            method = "POST".into();
                        }
                    }
                    "header" | "max-time" | "connect-timeout" | "retry" | "retry-delay"
                    | "user-agent" | "user" | "cacert" | "cert" | "proxy" | "resolve"
                    | "retry-max-time" => {
                        take_value(&mut index, inline);
                    }
                    _ => {}
                }
            } else if arg.len() > 1 && arg.starts_with('-') {
                let cluster: Vec<char> = arg[1..].chars().collect();
                for (position, c) in cluster.iter().enumerate() {
                    if "oXHdmwAuTFe".contains(*c) {
                        let rest: String = cluster[position + 1..].iter().collect();
                        let value = take_value(&mut index, Some(&rest));
                        match c {
                            'o' => output = Some(value),
                            'X' => method = value,
                            'w' => write_out = Some(value),
                            'd' | 'T' | 'F' if method == "GET" => method = "POST".into(),
                            _ => {}
                        }
                        break;
                    }
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'i' => include = true,
                        'O' => remote_name = true,
                        _ => {}
                    }
                }
            } else if url.is_none() {
                url = Some(arg.clone());
            }
            index += 1;
        }
        let Some(raw) = url else {
            return Outcome::fail(2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information");
        };
        let mut outcome = Outcome::success();
        // `-s` hides curl's own error messages unless `-S` brings them back.
        let report = !silent || show_error;
        let fail_with = |outcome: &mut Outcome, code: i32, message: String| {
            outcome.status = code;
            if report {
                outcome.warn(&format!("curl: ({code}) {message}"));
            }
        };
        let Some(parsed) = parse_url(&raw) else {
            fail_with(
                &mut outcome,
                3,
                "URL rejected: Malformed input to a URL function".into(),
            );
            return outcome;
        };
        if !matches!(parsed.scheme.as_str(), "http" | "https") {
            fail_with(
                &mut outcome,
                1,
                format!("Protocol \"{}\" not supported", parsed.scheme),
            );
            return outcome;
        }
        let write_code = |outcome: &mut Outcome, code: &str| {
            if let Some(format) = &write_out {
                outcome.out.push_str(&interpret_escapes(
                    &format
                        .replace("%{http_code}", code)
                        .replace("%{response_code}", code),
                ));
            }
        };
        let reply = match self.guest.fetch(&parsed, &method) {
            Fetch::Refused => {
                write_code(&mut outcome, "000");
                fail_with(
                    &mut outcome,
                    7,
                    format!(
                        "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                        parsed.host, parsed.port
                    ),
                );
                return outcome;
            }
            Fetch::Reply(reply) => reply,
        };
        if fail && reply.status >= 400 {
            write_code(&mut outcome, &reply.status.to_string());
            fail_with(
                &mut outcome,
                22,
                format!("The requested URL returned error: {}", reply.status),
            );
            return outcome;
        }
        let headers = format!(
            "HTTP/1.1 {} {}\nServer: {}\nContent-Type: text/html\nContent-Length: {}\n\n",
            reply.status,
            reason_phrase(reply.status),
            reply.server,
            reply.body.len()
        );
        let payload = if head {
            headers
        } else if include {
            format!("{headers}{}", reply.body)
        } else {
            reply.body
        };
        let target = output.or_else(|| remote_name.then(|| download_name(&parsed.path)));
        match target {
            Some(file) if file != "-" => {
                if let Err(e) = self.write_path(&file, payload, false) {
                    fail_with(
                        &mut outcome,
                        23,
                        format!("Failure writing output to destination: {}", e.describe()),
                    );
                    return outcome;
                }
            }
            _ => outcome.out.push_str(&payload),
        }
        write_code(&mut outcome, &reply.status.to_string());
        outcome
    }

    pub(crate) fn cmd_wget(&mut self, args: &[String]) -> Outcome {
        let mut quiet = false;
        let mut output: Option<String> = None;
        let mut url = None;
        let mut index = 0;
        while index < args.len() {
            let arg = &args[index];
            if let Some(value) = option_value(args, &mut index, "-O", "--output-document") {
                output = value;
            } else if arg == "-q" || arg == "--quiet" {
                quiet = true;
            } else if let Some(rest) = arg.strip_prefix("-q").filter(|r| r.starts_with('O')) {
                quiet = true;
                output = Some(if rest.len() > 1 {
                    rest[1..].to_string()
                } else {
                    index += 1;
                    args.get(index).cloned().unwrap_or_default()
                });
            } else if !arg.starts_with('-') && url.is_none() {
                url = Some(arg.clone());
            }
            index += 1;
        }
        let Some(raw) = url else {
            return Outcome::fail(1, "wget: missing URL\nUsage: wget [OPTION]... [URL]...");
        };
        let Some(parsed) = parse_url(&raw) else {
            return Outcome::fail(1, &format!("{raw}: Invalid URL"));
        };
        let reply = match self.guest.fetch(&parsed, "GET") {
            Fetch::Refused => {
                return Outcome::fail(
                    4,
                    &format!(
                        "Connecting to {}:{}... failed: Connection refused.",
                        parsed.host, parsed.port
                    ),
                );
            }
            Fetch::Reply(reply) => reply,
        };
        if reply.status >= 400 {
            return Outcome::fail(
                8,
                &format!("ERROR {}: {}.", reply.status, reason_phrase(reply.status)),
            );
        }
        let file = output.unwrap_or_else(|| download_name(&parsed.path));
        let mut outcome = Outcome::success();
        if file == "-" {
            outcome.out = reply.body;
            return outcome;
        }
        let size = reply.body.len();
        if let Err(e) = self.write_path(&file, reply.body, false) {
            return Outcome::fail(3, &format!("Cannot write to '{file}' ({}).", e.describe()));
        }
        if !quiet {
            outcome.warn(&format!("--2026-01-01 00:00:00--  {raw}\nSaving to: '{file}'\n\n'{file}' saved [{size}/{size}]"));
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::*;

    #[test]
    fn curl_localhost_follows_the_web_server() {
        let mut guest = al2023();
        let result = run(&mut guest, "curl http://localhost");
        assert_eq!(result.exit_code, 7);
        assert_eq!(result.stderr, "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server\n");
        let result = run(&mut guest, "curl -s localhost");
        assert_eq!(
            (result.exit_code, result.stderr.as_str()),
            (7, ""),
            "-s silences curl's errors"
        );
        assert!(guest.http_get("/").is_none());
        let result = run(
            &mut guest,
            "dnf install -y nginx\nsystemctl enable --now nginx\necho '<h1>hello</h1>' | sudo tee /usr/share/nginx/html/index.html\ncurl -s http://localhost/",
        );
        assert!(
            result.stdout.ends_with("<h1>hello</h1>\n<h1>hello</h1>\n"),
            "{}",
            result.stdout
        );
        assert_eq!(
            guest.http_get("/index.html"),
            Some((200, "<h1>hello</h1>\n".to_string()))
        );
        let result = run(
            &mut guest,
            "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/missing",
        );
        assert_eq!(result.stdout, "404");
        assert_eq!(
            run(&mut guest, "curl -sf http://localhost/missing").exit_code,
            22
        );
    }

    #[test]
    fn instance_metadata_is_served_to_curl() {
        let mut guest = al2023();
        assert!(guest.set_instance_metadata("meta-data/instance-id", "i-0123456789abcdef0"));
        let result = run(
            &mut guest,
            "echo \"<p>$(curl -s http://169.254.169.254/latest/meta-data/instance-id)</p>\" > /tmp/id\ncurl -s http://169.254.169.254/latest/meta-data/",
        );
        assert_eq!(
            guest.file("/tmp/id").as_deref(),
            Some("<p>i-0123456789abcdef0</p>\n")
        );
        assert_eq!(result.stdout, "instance-id");
        guest.clear_instance_metadata();
        assert_eq!(
            run(
                &mut guest,
                "curl -sf http://169.254.169.254/latest/meta-data/instance-id"
            )
            .exit_code,
            22
        );
    }

    #[test]
    fn wget_downloads_to_a_file() {
        let mut guest = ubuntu();
        let result = run(
            &mut guest,
            "cd /tmp && wget -q https://example.com/tool.tar.gz && ls",
        );
        assert_eq!(result.exit_code, 0, "{}", result.stderr);
        assert_eq!(result.stdout, "tool.tar.gz\n");
        assert!(guest
            .file("/tmp/tool.tar.gz")
            .unwrap()
            .starts_with("# simulated download"));
        let result = run(&mut guest, "wget -qO- http://localhost/");
        assert_eq!(result.exit_code, 4);
        assert!(result.stderr.contains("Connection refused"));
    }
}
