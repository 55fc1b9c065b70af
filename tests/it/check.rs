//! `communique check` and the errors editors see: each broken input gives a message naming
//! the file, line and column, with a fix, and a non-zero exit.

use crate::support::Site;

/// Applies `breakage` to a copy of the minimal fixture and returns what `check` printed.
fn check(breakage: impl FnOnce(&Site)) -> String {
    let site = Site::fixture("minimal");
    breakage(&site);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "check passed on broken input:\n{}", run.stderr);
    run.stderr
}

#[test]
fn the_fixture_is_clean() {
    let site = Site::fixture("minimal");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "0 error(s), 0 warning(s)\n");
    assert!(!site.public().exists(), "check wrote output");
}

#[test]
fn unclosed_front_matter() {
    insta::assert_snapshot!(check(
        |s| s.write("content/topics/trade.md", "+++\ntitle = \"Trade\"\n")
    ));
}

#[test]
fn empty_file() {
    insta::assert_snapshot!(check(|s| s.write("content/topics/trade.md", "")));
}

#[test]
fn no_front_matter() {
    insta::assert_snapshot!(check(
        |s| s.write("content/pages/about.md", "# About\n\nText.\n")
    ));
}

#[test]
fn unknown_entity_with_a_suggestion() {
    insta::assert_snapshot!(check(|s| s.edit(
        "content/statements/g7-2030/climate/cut-emissions.md",
        "topics = [\"climate\"]",
        "topics = [\"climte\", \"farming\"]"
    )));
}

#[test]
fn invalid_date_status_and_unknown_key() {
    insta::assert_snapshot!(check(|s| {
        s.edit(
            "content/statements/g7-2030/_index.md",
            "date = 2030-06-01",
            "date = 2030-02-30",
        );
        s.edit(
            "content/statements/g7-2030/trade/fair-trade.md",
            "status = \"stalled\"",
            "status = \"done\"",
        );
        s.edit("content/topics/climate.md", "summary =", "sumary =");
    }));
}

#[test]
fn quote_not_in_source_and_unknown_source() {
    insta::assert_snapshot!(check(|s| {
        s.edit(
            "content/statements/g7-2030/climate/cut-emissions.md",
            "quote = \"The Parties will cut emissions by half",
            "quote = \"The Parties will cut emissions by two thirds",
        );
        s.edit(
            "content/statements/g7-2030/trade/fair-trade.md",
            "source = \"g7-text\"",
            "source = \"g7-txt\"",
        );
    }));
}

#[test]
fn broken_internal_links_and_anchors() {
    insta::assert_snapshot!(check(|s| {
        s.edit("content/_index.md", "_index.md#p1", "_index.md#p9");
        s.edit(
            "content/programs/green-corridor.md",
            "climate/_index.md",
            "climat/_index.md",
        );
    }));
}

#[test]
fn updates_out_of_order() {
    insta::assert_snapshot!(check(|s| {
        s.edit(
        "content/statements/g7-2030/climate/cut-emissions.md",
        "[[coverage]]",
        "[[updates]]\ndate = 2030-08-01\nsummary = \"Earlier.\"\nurl = \"https://example.org/e\"\n\n[[coverage]]"
    )
    }));
}

#[test]
fn misplaced_files_bad_slugs_and_encodings() {
    insta::assert_snapshot!(check(|s| {
        s.write(
            "content/statements/g7-2030/stray.md",
            "+++\ntitle = \"x\"\n+++\n",
        );
        s.write("content/topics/Bad_Name.md", "+++\ntitle = \"x\"\n+++\n");
        s.write(
            "content/topics/latin1.md",
            b"+++\ntitle = \"caf\xe9\"\n+++\n",
        );
        s.write("content/topics/utf16.md", b"\xff\xfe+\x00+\x00+\x00");
    }));
}

#[test]
fn a_section_without_its_statement() {
    insta::assert_snapshot!(check(|s| s.write(
        "content/statements/orphan/part/_index.md",
        "+++\ntitle = \"Part\"\n+++\n"
    )));
}

#[test]
fn missing_theme_and_template_errors() {
    insta::assert_snapshot!(check(|s| s.edit(
        "site.toml",
        "title",
        "theme = \"fancy\"\ntitle"
    )));
    insta::assert_snapshot!(check(|s| {
        s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.nonexistent.field }}{% endblock content %}"
    )
    }));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"SECRET\"\n+++\n",
    )
    .unwrap();
    let stderr = check(|s| {
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            s.path().join("content/topics/secret.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            s.path().join("content/topics/loop.md"),
            s.path().join("content/topics/loop.md"),
        )
        .unwrap();
    });
    assert!(
        stderr.contains(
            "content/topics/secret.md:1:1: error: symbolic link points outside the project"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/topics/loop.md:1:1: error: symbolic link cannot be followed"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET"));
}

#[test]
fn json_format_and_exit_codes() {
    let site = Site::fixture("minimal");
    site.edit(
        "content/topics/climate.md",
        "title = \"Climate\"",
        "title = 3",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(
        report["diagnostics"][0]["path"],
        "content/topics/climate.md"
    );
    assert_eq!(report["diagnostics"][0]["line"], 2);
    let usage = site.run(&["check", "--format", "yaml"]);
    assert_eq!(usage.code, 2);
}

#[test]
fn warnings_do_not_fail() {
    let site = Site::fixture("minimal");
    site.write("content/topics/unused.md", "+++\ntitle = \"Zzyzx\"\n+++\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/topics/unused.md:1:1: warning: no pledge refers to topic `unused`"),
        "{}",
        run.stderr
    );
}

#[test]
fn colliding_outputs_name_every_source() {
    let stderr = check(|s| s.write("static/about/index.html", "<p>static about</p>"));
    assert!(
        stderr.contains("content/pages/about.md:1:1: error: 2 items would be written to `about/index.html`: content/pages/about.md, static/about/index.html"),
        "{stderr}"
    );
}

#[test]
fn template_syntax_errors_point_into_the_template() {
    insta::assert_snapshot!(check(|s| {
        s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n"
    )
    }));
}

#[test]
fn template_arithmetic_errors_fail_instead_of_printing_nan() {
    let stderr = check(|s| {
        s.write(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ 1 / 0 }}{% endblock content %}",
        )
    });
    assert!(
        stderr.contains(
            "templates/page.html:1:1: error: template printed `NaN` while rendering /about/"
        ),
        "{stderr}"
    );
}
