//! Path arithmetic on the guest's absolute, `/`-separated paths (no file system access).

/// Makes `raw` absolute against `cwd` and resolves `.`, `..` and repeated slashes.
pub(crate) fn normalize_path(cwd: &str, raw: &str) -> String {
    let joined = if raw.starts_with('/') {
        raw.to_string()
    } else {
        format!("{cwd}/{raw}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for component in joined.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", parts.join("/"))
    }
}

pub(crate) fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

pub(crate) fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

pub(crate) fn child_path(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// `/a`, `/a/b`, `/a/b/c` for `/a/b/c` (the root itself is left out).
pub(crate) fn ancestors_and_self(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in path.char_indices().skip(1) {
        if c == '/' {
            out.push(path[..i].to_string());
        }
    }
    if path != "/" {
        out.push(path.to_string());
    }
    out
}

/// Moves `path` from below `from` to below `to`.
pub(crate) fn rebase(path: &str, from: &str, to: &str) -> String {
    format!("{to}{}", &path[from.len()..])
}

/// The key prefix shared by everything strictly below `path`.
pub(crate) fn subtree_prefix(path: &str) -> String {
    if path == "/" {
        "/".to_string()
    } else {
        format!("{path}/")
    }
}

/// Whether `path` is `dir` or lies below it.
pub(crate) fn is_inside(path: &str, dir: &str) -> bool {
    path == dir || path.starts_with(&subtree_prefix(dir))
}

/// Device files: readable (empty) and writable (discarding) without being stored.
pub(crate) fn is_device(path: &str) -> bool {
    matches!(
        path,
        "/dev/null" | "/dev/zero" | "/dev/stdout" | "/dev/stderr" | "/dev/tty"
    )
}
