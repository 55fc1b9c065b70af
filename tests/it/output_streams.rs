//! Where the output goes: closed or failing stdout and stderr (a gone pipe, a full disk,
//! descriptors closed by the shell), and content and names that hold terminal escape
//! sequences.

use std::fs;
use std::process::{Command, Stdio};

use crate::support::{Finished, Site, assert_no_panic, finish, repo, tree};

/// Runs `communique <args> --root <site>` with the given stdout and stderr.
fn run_with(site: &Site, args: &[&str], stdout: Stdio, stderr: Stdio) -> Finished {
    let child = site
        .command(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    finish(site, child)
}

/// The write end of a pipe whose read end is already closed: every write to it fails with
/// EPIPE, as when the reader of `communique build | head -1` has gone. (`Stdio::null()` is
/// not that: writes to /dev/null succeed.)
fn broken_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

/// A device on which every write fails with ENOSPC, as on a full disk.
fn full_device() -> Option<Stdio> {
    fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()
        .map(Stdio::from)
}

/// The minimal fixture with a topic no pledge refers to, so builds print a warning on stderr
/// as well as their summary on stdout.
fn site_with_a_warning() -> Site {
    let site = Site::fixture("minimal");
    site.write(
        "content/topics/unused.md",
        "+++\ntitle = \"Unused\"\n+++\nNobody links here.\n",
    );
    site
}

/// The minimal fixture with an unknown topic: `check` and `build` fail with exit code 1.
fn site_with_an_error() -> Site {
    let site = Site::fixture("minimal");
    site.edit(
        "content/statements/g7-2030/trade/fair-trade.md",
        "topics = [\"trade\"]",
        "topics = [\"trade\", \"tarde\"]",
    );
    site
}

#[test]
fn a_closed_stdout_or_stderr_never_turns_a_build_into_a_panic() {
    let site = site_with_a_warning();
    // Each way the output can be gone, with the other stream read when it is not.
    let run = run_with(&site, &["build"], broken_pipe(), Stdio::piped());
    assert_no_panic("build with stdout a closed pipe", &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("no pledge refers to topic `unused`"),
        "{}",
        run.stderr
    );
    assert!(site.public().join("index.html").exists());

    let run = run_with(&site, &["build"], Stdio::piped(), broken_pipe());
    assert_eq!(run.code, 0, "build with stderr a closed pipe");
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);

    let run = run_with(&site, &["build"], broken_pipe(), broken_pipe());
    assert_eq!(run.code, 0, "build with both streams closed pipes");

    if let Some(full) = full_device() {
        let run = run_with(&site, &["build"], full, Stdio::piped());
        assert_no_panic("build with stdout on a full device", &run);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let run = run_with(&site, &["build"], Stdio::piped(), full_device().unwrap());
        assert_eq!(run.code, 0, "build with stderr on a full device");
    }
    assert_eq!(site.leftovers(), Vec::<String>::new());

    // A failed build still says so through its exit code.
    let broken = site_with_an_error();
    let run = run_with(&broken, &["build"], Stdio::piped(), broken_pipe());
    assert_eq!(run.code, 1, "a failed build with stderr a closed pipe");
    let run = run_with(&broken, &["build"], broken_pipe(), broken_pipe());
    assert_eq!(run.code, 1, "a failed build with both streams closed pipes");
    assert!(!broken.public().exists());
}

#[test]
fn check_and_import_keep_their_exit_codes_with_closed_output() {
    let clean = site_with_a_warning();
    let broken = site_with_an_error();
    for (site, expected) in [(&clean, 0), (&broken, 1)] {
        let run = run_with(site, &["check"], Stdio::piped(), broken_pipe());
        assert_eq!(run.code, expected, "check with stderr a closed pipe");
        let run = run_with(site, &["check"], broken_pipe(), broken_pipe());
        assert_eq!(run.code, expected, "check with both streams closed pipes");
        let json = ["check", "--format", "json"];
        let run = run_with(site, &json, broken_pipe(), Stdio::piped());
        assert_no_panic("check --format json with stdout a closed pipe", &run);
        assert_eq!(run.code, expected, "{}", run.stderr);
        if let Some(full) = full_device() {
            let run = run_with(site, &json, full, Stdio::piped());
            assert_no_panic("check --format json with stdout on a full device", &run);
            assert_eq!(run.code, expected, "{}", run.stderr);
        }
    }

    let site = Site::fixture("import-site");
    let seed = repo().join("tests/fixtures/seeds/accord.txt");
    let seed = seed.to_str().unwrap();
    let run = run_with(
        &site,
        &["import", seed, "--slug", "ocean-accord"],
        broken_pipe(),
        Stdio::piped(),
    );
    assert_no_panic("import with stdout a closed pipe", &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path()
            .join("content/statements/ocean-accord/_index.md")
            .exists()
    );
    // An error (the files now exist) with both streams gone is still exit code 1.
    let run = run_with(
        &site,
        &["import", seed, "--slug", "ocean-accord"],
        broken_pipe(),
        broken_pipe(),
    );
    assert_eq!(run.code, 1, "a refused import with closed pipes");
}

/// `>&- 2>&-` in a shell closes the descriptors outright: the command starts without them.
#[cfg(unix)]
#[test]
fn descriptors_closed_by_the_shell_change_nothing() {
    let shell = |site: &Site, args: &[&str]| {
        let child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" <&- >&- 2>&-")
            .arg(env!("CARGO_BIN_EXE_communique"))
            .args(args)
            .arg("--root")
            .arg(site.path())
            .current_dir(site.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        finish(site, child).code
    };
    let site = site_with_a_warning();
    assert_eq!(shell(&site, &["build"]), 0);
    assert!(site.public().join("index.html").exists());
    let built = tree(&site.public());
    // Nothing printed found its way into the output: a build run normally writes the same.
    site.build();
    assert_eq!(tree(&site.public()), built);
    assert_eq!(shell(&site, &["check"]), 0);
    assert_eq!(shell(&site, &["check", "--format", "json"]), 0);
    let broken = site_with_an_error();
    assert_eq!(shell(&broken, &["build"]), 1);
    assert_eq!(shell(&broken, &["check", "--format", "json"]), 1);
}

/// Characters that must never reach a terminal raw: controls other than line feed and tab,
/// and the bidirectional overrides.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn escape_sequences_in_content_never_reach_the_terminal_raw() {
    let site = Site::fixture("minimal");
    let pledge = "content/statements/g7-2030/trade/fair-trade.md";
    // Unknown topic slugs and a title holding escape sequences, written as TOML escapes.
    site.edit(
        pledge,
        "topics = [\"trade\"]",
        r#"topics = ["trade", "\u001b]0;pwned\u0007", "\u001b[31mred\u009b2J\u202egnp"]"#,
    );
    site.edit(
        pledge,
        "title = \"",
        r#"title = "\u001b]0;pwned\u0007\u001b[31m"#,
    );
    // Raw escapes in front matter (invalid TOML, so its line is quoted) and in a file name.
    site.write(
        "content/topics/raw.md",
        "+++\ntitle = \"\x1b]0;pwned\x07\x1b[31mRaw\x08\r\"\n+++\n",
    );
    site.write(
        "content/topics/\x1b[31mevil\x07.md",
        "+++\ntitle = \"Evil\"\n+++\n",
    );

    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        raw_controls(&run.stderr),
        Vec::<char>::new(),
        "{}",
        run.stderr
    );
    for shown in [
        r"unknown topic `\u{1b}]0;pwned\u{7}`",
        r"unknown topic `\u{1b}[31mred\u{9b}2J\u{202e}gnp`",
        r"content/topics/\u{1b}[31mevil\u{7}.md:1:1: error:",
        r#"2 | title = "\u{1b}]0;pwned\u{7}\u{1b}[31mRaw\u{8}\u{d}""#,
    ] {
        assert!(
            run.stderr.contains(shown),
            "{shown} not in:\n{}",
            run.stderr
        );
    }
    // The underline stays under the character it points at (the first ESC of raw.md) once
    // escapes widen the line, and is as wide as that character's escape.
    let lines: Vec<&str> = run.stderr.lines().collect();
    let snippet = lines
        .iter()
        .position(|line| line.starts_with("2 | title = \"\\u{1b}]0;pwned"))
        .unwrap();
    let (quoted, underline) = (lines[snippet], lines[snippet + 1]);
    assert_eq!(
        underline.find('^'),
        quoted.find("\\u{1b}"),
        "{quoted}\n{underline}"
    );
    assert_eq!(
        underline.matches('^').count(),
        "\\u{1b}".len(),
        "{underline}"
    );

    // JSON keeps the text itself, escaped in JSON's own syntax.
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        raw_controls(&run.stdout),
        Vec::<char>::new(),
        "{}",
        run.stdout
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"unknown topic `\u{1b}[31mred\u{9b}2J\u{202e}gnp`"),
        "{messages:?}"
    );

    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        raw_controls(&run.stderr),
        Vec::<char>::new(),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists());
}

#[test]
fn names_in_summaries_and_error_chains_are_escaped() {
    let site = Site::fixture("minimal");
    let hostile = "out\x1b]0;pwned\x07\u{202e}";
    let output = site.path().join(hostile);
    let run = site.run(&["build", "--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        raw_controls(&run.stdout),
        Vec::<char>::new(),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(r"into [site]/out\u{1b}]0;pwned\u{7}\u{202e}"),
        "{}",
        run.stdout
    );
    assert!(output.join("index.html").exists());

    // An error naming the path: a folder inside content/ is refused.
    let inside = site.path().join("content").join(hostile);
    let run = site.run(&["build", "--output", inside.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        raw_controls(&run.stderr),
        Vec::<char>::new(),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.starts_with(
            r"error: refusing to write the site to `[site]/content/out\u{1b}]0;pwned\u{7}\u{202e}`"
        ),
        "{}",
        run.stderr
    );

    // import prints the name of the seed it copies into seeds/.
    let site = Site::fixture("import-site");
    let seeds = tempfile::tempdir().unwrap();
    let seed = seeds.path().join("accord\x1b[31m\x07.txt");
    fs::copy(repo().join("tests/fixtures/seeds/accord.txt"), &seed).unwrap();
    let run = site.run(&["import", seed.to_str().unwrap(), "--slug", "ocean-accord"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        raw_controls(&run.stdout),
        Vec::<char>::new(),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(r"wrote seeds/accord\u{1b}[31m\u{7}.txt"),
        "{}",
        run.stdout
    );
    // And its errors quote the slug they refuse.
    let run = site.run(&["import", seed.to_str().unwrap(), "--slug", "x\x1b[2J"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        raw_controls(&run.stderr),
        Vec::<char>::new(),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(r"error: `x\u{1b}[2J` is not a valid slug"),
        "{}",
        run.stderr
    );
}
