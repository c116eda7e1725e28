//! The page of `amilab stats --html` in a real browser (Debian's headless Chromium): it loads
//! from disk with nothing fetched, its DOM has the charts and tables, the browser logs no
//! console message, and its screenshot is not blank (target/test-output/stats.png, for a person
//! to look at).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli_common::run;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Writes the fixture class's page into `dir`.
fn page(dir: &Path) -> PathBuf {
    let html = dir.join("class.html");
    let (code, _, stderr) = run(&[
        "stats",
        "tests/fixtures/stats/class",
        "--format",
        "json",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    html
}

/// Runs headless Chromium on `url` with `mode` (`--dump-dom` or `--screenshot=…`):
/// (stdout, stderr).
fn chromium(profile: &Path, mode: &str, url: &str) -> (String, String) {
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
            mode,
            url,
        ])
        .output()
        .expect("runs /usr/bin/chromium (apt-get install chromium)");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "chromium failed: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// Console messages and failed loads as Chromium logs them to stderr
/// (`…:INFO:CONSOLE(12)] "…", source: …`, `net::ERR_…`).
fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Failed to load resource")
                || l.contains("net::ERR_")
                || l.contains("Uncaught")
        })
        .collect()
}

#[test]
#[ignore = "needs Debian's chromium; .ci/run installs it and runs ignored browser tests"]
fn the_page_loads_in_chromium_with_charts_tables_and_no_console_error() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(dir.path());
    let url = format!("file://{}", html.canonicalize().unwrap().display());

    let (dom, stderr) = chromium(&dir.path().join("profile-dom"), "--dump-dom", &url);
    assert!(console_errors(&stderr).is_empty(), "{stderr}");
    for part in [
        "<h1>Class statistics: Roll web v2 through the fleet",
        "<svg id=\"score-histogram\"",
        "<svg id=\"item-chart\"",
        "<table id=\"item-table\">",
        "<section id=\"aws-errors\">",
        "<section id=\"ungradable\">",
    ] {
        assert!(dom.contains(part), "the DOM has no {part:?}:\n{dom}");
    }
    // Every item is a row of the table, and the chart has a bar per item at least.
    let rows = dom.matches("<tr").count();
    assert!(rows > 10, "{rows} rows");
    assert!(dom.matches("<rect").count() > 10);

    let png = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../test-output/stats.png");
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&png);
    let (_, stderr) = chromium(
        &dir.path().join("profile-shot"),
        &format!("--screenshot={}", png.display()),
        &url,
    );
    assert!(console_errors(&stderr).is_empty(), "{stderr}");
    let pixmap = resvg::tiny_skia::Pixmap::load_png(&png).expect("a PNG screenshot");
    assert_eq!((pixmap.width(), pixmap.height()), (1280, 2000));
    // Not blank: many pixels differ from the background, in more than one colour.
    let background = pixmap.pixel(0, 0).unwrap();
    let differ = pixmap.pixels().iter().filter(|p| **p != background).count();
    assert!(
        differ > 50_000,
        "the screenshot is (almost) blank: {differ} pixels drawn"
    );
    let blue = pixmap
        .pixels()
        .iter()
        .filter(|p| p.blue() > 180 && p.red() < 80)
        .count();
    assert!(blue > 500, "no blue bars in the screenshot: {blue}");
}
