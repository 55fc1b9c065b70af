//! Nothing from outside the project reaches the output: links that leave it, hidden folders
//! and special files are refused the same way in every folder the build reads, and nothing
//! the build reads can make it hang.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{Run, Site, finish_within, tree};

/// Runs `communique <args> --root <site>`, failing the test if it takes longer than a
/// minute: a build that blocks on a FIFO or reads `/dev/zero` would never end.
fn run_bounded(site: &Site, args: &[&str]) -> Run {
    run_bounded_as(site, args, None)
}

/// [`run_bounded`], as user `uid` running the binary copied to `binary` when given.
fn run_bounded_as(site: &Site, args: &[&str], as_user: Option<(u32, &Path)>) -> Run {
    let binary = as_user.map_or(Path::new(env!("CARGO_BIN_EXE_communique")), |(_, b)| b);
    let mut command = Command::new(binary);
    command
        .args(args)
        .arg("--root")
        .arg(site.path())
        .current_dir(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some((uid, _)) = as_user {
        use std::os::unix::process::CommandExt;
        command.uid(uid).gid(uid);
    }
    let finished = finish_within(site, command.spawn().unwrap(), Duration::from_secs(60));
    Run {
        code: finished.code,
        stdout: finished.stdout,
        stderr: finished.stderr,
    }
}

/// Builds `site` once, breaks it with `breaking`, and checks that `check` and `build` both
/// fail with every one of `expected` in their output, that no "SECRET" from outside reaches
/// the terminal, and that the previous `public/` is left as it was.
fn refused(site: &Site, breaking: impl FnOnce(&Site), expected: &[&str]) {
    site.build();
    let before = tree(&site.public());
    breaking(site);
    for command in ["check", "build"] {
        let run = run_bounded(site, &[command]);
        assert_eq!(run.code, 1, "{command}:\n{}", run.stderr);
        for wanted in expected {
            assert!(
                run.stderr.contains(wanted),
                "{command}: missing {wanted:?} in\n{}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert!(
        tree(&site.public()) == before,
        "the previous output changed"
    );
}

/// A folder outside the project holding a secret file and a secret folder.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
    fs::write(
        dir.path().join("secret.md"),
        "+++\ntitle = \"SECRET\"\n+++\n",
    )
    .unwrap();
    fs::write(dir.path().join("secret.html"), "SECRET").unwrap();
    fs::create_dir_all(dir.path().join("folder")).unwrap();
    fs::write(dir.path().join("folder/secret.css"), "SECRET").unwrap();
    fs::write(dir.path().join("folder/page.html"), "SECRET").unwrap();
    fs::write(
        dir.path().join("folder/x.md"),
        "+++\ntitle = \"SECRET\"\n+++\n",
    )
    .unwrap();
    dir
}

#[test]
fn links_out_of_the_project_are_refused_in_every_folder() {
    let out = outside();
    let o = out.path();
    let site = Site::fixture("minimal");
    refused(
        &site,
        |s| {
            let p = s.path();
            fs::create_dir_all(p.join("static")).unwrap();
            fs::create_dir_all(p.join("templates")).unwrap();
            symlink(o.join("folder"), p.join("content/topics/more")).unwrap();
            symlink(o.join("secret.txt"), p.join("static/robots.txt")).unwrap();
            symlink(o.join("folder"), p.join("static/css")).unwrap();
            symlink(o.join("secret.html"), p.join("templates/extra.html")).unwrap();
            symlink(o.join("folder"), p.join("templates/more")).unwrap();
            symlink(o.join("secret.txt"), p.join("seeds/linked.txt")).unwrap();
            s.edit(
                "content/sources/g7-text.md",
                "seeds/g7.txt",
                "seeds/linked.txt",
            );
        },
        &[
            "content/topics/more:1:1: error: symbolic link points outside the project",
            "static/css:1:1: error: symbolic link points outside the project",
            "static/robots.txt:1:1: error: symbolic link points outside the project",
            "templates/extra.html:1:1: error: symbolic link points outside the project",
            "templates/more:1:1: error: symbolic link points outside the project",
            "content/sources/g7-text.md:6:8: error: source file `seeds/linked.txt` is outside the project",
        ],
    );
    assert!(!site.read("public/index.html").contains("SECRET"));

    // The folders themselves, including a whole theme.
    let site = Site::fixture("minimal");
    refused(
        &site,
        |s| {
            symlink(o.join("folder"), s.path().join("static")).unwrap();
            let theme = s.path().join("themes/default");
            let moved = o.join("default-theme");
            crate::support::copy_dir(&theme, &moved);
            fs::remove_dir_all(&theme).unwrap();
            symlink(&moved, &theme).unwrap();
        },
        &[
            "static:1:1: error: symbolic link points outside the project",
            "themes/default/templates:1:1: error: symbolic link points outside the project",
        ],
    );
}

#[test]
fn links_inside_the_project_are_followed_everywhere() {
    let site = Site::fixture("minimal");
    let p = site.path();
    site.write(
        "shared/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write("shared/robots-extra.txt", "linked file");
    site.write(
        "shared/topics/energy.md",
        "+++\ntitle = \"Energy\"\n+++\nLinked in through a folder.\n",
    );
    site.write(
        "shared/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>LINKED TEMPLATE {{ page.title }}</p>{% endblock content %}",
    );
    fs::create_dir_all(p.join("static")).unwrap();
    fs::create_dir_all(p.join("templates")).unwrap();
    symlink(p.join("shared/img"), p.join("static/img")).unwrap();
    symlink(
        p.join("shared/robots-extra.txt"),
        p.join("static/extra.txt"),
    )
    .unwrap();
    symlink(p.join("shared/topics"), p.join("content/topics/linked")).unwrap();
    symlink(
        p.join("shared/templates/page.html"),
        p.join("templates/page.html"),
    )
    .unwrap();
    let run = run_bounded(&site, &["build"]);
    // The linked folder's files are where the link puts them: a topic in a sub-folder is in
    // no place the model knows, which shows the link was followed.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/topics/linked/energy.md:1:1: error: file is in no place"),
        "{}",
        run.stderr
    );
    fs::remove_file(p.join("content/topics/linked")).unwrap();
    let run = run_bounded(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.public().join("img/logo.svg").is_file());
    assert_eq!(site.read("public/extra.txt"), "linked file");
    assert!(
        site.read("public/about/index.html")
            .contains("LINKED TEMPLATE About")
    );
}

#[test]
fn hidden_folders_are_never_published() {
    let site = Site::fixture("minimal");
    site.write(".git/config", "[remote] token = SECRET");
    site.write("static/.git/config", "SECRET");
    site.write("static/.env", "SECRET");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:security@example.org",
    );
    site.write("themes/default/static/.DS_Store", "SECRET");
    site.build();
    let built = tree(&site.public());
    assert!(built.contains_key(".well-known/security.txt"));
    for (path, bytes) in &built {
        assert!(
            !path
                .split('/')
                .any(|part| part.starts_with('.') && part != ".well-known"),
            "{path} published"
        );
        assert!(!String::from_utf8_lossy(bytes).contains("SECRET"), "{path}");
    }

    // Named by a source, directly or through a link, a hidden file is refused.
    refused(
        &site,
        |s| {
            s.edit("content/sources/g7-text.md", "seeds/g7.txt", ".git/config");
        },
        &[
            "content/sources/g7-text.md:6:8: error: source file `.git/config` is in the hidden file or folder `.git`, which is never published",
        ],
    );
    let site = Site::fixture("minimal");
    site.write(".git/config", "SECRET");
    refused(
        &site,
        |s| {
            symlink(
                s.path().join(".git/config"),
                s.path().join("seeds/config.txt"),
            )
            .unwrap();
            s.edit(
                "content/sources/g7-text.md",
                "seeds/g7.txt",
                "seeds/config.txt",
            );
            fs::create_dir_all(s.path().join("static")).unwrap();
            symlink(s.path().join(".git"), s.path().join("static/git")).unwrap();
        },
        &[
            "content/sources/g7-text.md:6:8: error: source file `seeds/config.txt` is in the hidden file or folder `.git`",
            "static/git:1:1: error: symbolic link points into the hidden file or folder `.git`",
        ],
    );
}

fn mkfifo(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn special_files_are_refused_without_blocking() {
    let site = Site::fixture("minimal");
    refused(
        &site,
        |s| {
            let p = s.path();
            mkfifo(&p.join("content/topics/pipe.md"));
            mkfifo(&p.join("static/pipe.css"));
            mkfifo(&p.join("templates/pipe.html"));
            mkfifo(&p.join("seeds/pipe.txt"));
            s.edit(
                "content/sources/g7-text.md",
                "seeds/g7.txt",
                "seeds/pipe.txt",
            );
            let listener = std::os::unix::net::UnixListener::bind(p.join("static/socket")).unwrap();
            std::mem::forget(listener);
        },
        &[
            "content/topics/pipe.md:1:1: error: a FIFO (named pipe) is not a regular file",
            "static/pipe.css:1:1: error: a FIFO (named pipe) is not a regular file",
            "static/socket:1:1: error: a socket is not a regular file",
            "templates/pipe.html:1:1: error: a FIFO (named pipe) is not a regular file",
            "content/sources/g7-text.md:6:8: error: source file `seeds/pipe.txt` is a FIFO (named pipe), not a regular file",
        ],
    );
    // A link to a device is a link out of the project.
    let site = Site::fixture("minimal");
    refused(
        &site,
        |s| {
            symlink("/dev/zero", s.path().join("seeds/zero.txt")).unwrap();
            s.edit(
                "content/sources/g7-text.md",
                "seeds/g7.txt",
                "seeds/zero.txt",
            );
        },
        &["source file `seeds/zero.txt` is outside the project (it leads to /dev/zero)"],
    );
}

/// Runs `check` as an unprivileged user, so that permissions apply even when the tests run
/// as root; `None` where that cannot be arranged.
fn check_without_privileges(site: &Site) -> Option<Run> {
    let uid = unsafe { libc::geteuid() };
    if uid != 0 {
        return Some(run_bounded(site, &["check"]));
    }
    // nobody must be able to reach the site's folder.
    let mut dir = site.path().to_path_buf();
    loop {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&dir).ok()?.permissions().mode();
        fs::set_permissions(&dir, fs::Permissions::from_mode(mode | 0o755)).ok()?;
        if !dir.pop() || dir.as_os_str().is_empty() || dir == Path::new("/") {
            break;
        }
    }
    for entry in walkdir::WalkDir::new(site.path()) {
        use std::os::unix::fs::PermissionsExt;
        let entry = entry.ok()?;
        let mode = entry.metadata().ok()?.permissions().mode();
        if mode & 0o700 != 0 {
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode | 0o055)).ok()?;
        }
    }
    // Nor need it reach the build's target folder (a clone in a private temporary folder):
    // it runs a copy of the binary kept beside the site, outside every folder the build reads.
    let binary = site.path().join(".communique-test-bin");
    if !binary.exists() {
        fs::copy(env!("CARGO_BIN_EXE_communique"), &binary).ok()?;
    }
    Some(run_bounded_as(site, &["check"], Some((65534, &binary))))
}

#[test]
fn an_unreadable_folder_is_one_error() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("minimal");
    // Three sources point into the same folder.
    for name in ["a", "b"] {
        site.write(
            &format!("content/sources/{name}.md"),
            format!(
                "+++\ntitle = \"{name}\"\nkind = \"coverage\"\nfile = \"seeds/{name}.txt\"\n+++\n"
            ),
        );
        site.write(&format!("seeds/{name}.txt"), "text");
    }
    site.write("static/style-extra.css", "body {}");
    let Some(_) = check_without_privileges(&site) else {
        println!("skipped: cannot run as an unprivileged user here");
        return;
    };
    fs::set_permissions(site.path().join("seeds"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(
        site.path().join("static/style-extra.css"),
        fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let run = check_without_privileges(&site).unwrap();
    fs::set_permissions(site.path().join("seeds"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let seeds_errors = run
        .stderr
        .lines()
        .filter(|line| line.contains("folder `seeds` cannot be opened"))
        .count();
    assert_eq!(seeds_errors, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("2 other files met the same problem"),
        "{}",
        run.stderr
    );
    // The static file is reported at its own path, not at the path it would be published at.
    assert!(
        run.stderr
            .contains("static/style-extra.css:1:1: error: cannot read static file"),
        "{}",
        run.stderr
    );
    // A pledge citing one of those sources is not reported again.
    assert!(!run.stderr.contains("unknown source"), "{}", run.stderr);
}

#[test]
fn the_preview_recovers_when_a_special_file_goes_away() {
    let site = Site::fixture("minimal");
    let serving = crate::serve::Serving::start(&site);
    let fifo = site.path().join("content/topics/pipe.md");
    mkfifo(&fifo);
    let overlay = crate::serve::wait_for(&serving, "/", |body| {
        body.contains("a FIFO (named pipe) is not a regular file")
    });
    assert!(overlay.contains("content/topics/pipe.md"));
    fs::remove_file(&fifo).unwrap();
    crate::serve::wait_for(&serving, "/", |body| !body.contains("communique-errors"));
    // And it still rebuilds on the next save.
    site.edit("content/pages/about.md", "+++\n", "+++\n");
    site.write(
        "content/pages/about.md",
        site.read("content/pages/about.md") + "\nSaved after the FIFO went away.\n",
    );
    crate::serve::wait_for(&serving, "/about/", |body| {
        body.contains("Saved after the FIFO went away.")
    });
}

/// A seed with `n` sections of identical paragraphs.
fn identical_paragraphs(n: usize) -> String {
    let mut seed =
        String::from("---\ntitle: A statement of many paragraphs\ndate: 2030-01-01\n---\n");
    for section in 0..4 {
        seed.push_str("\n**<u>Part</u>**\n\n");
        for _ in 0..n / 4 {
            let _ = section;
            seed.push_str("The Parties will cooperate.\n\n");
        }
    }
    seed
}

#[test]
fn import_refuses_what_check_refuses_and_stays_linear() {
    let site = Site::fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    let fifo = outside.path().join("statement.txt");
    mkfifo(&fifo);
    let run = run_bounded(&site, &["import", fifo.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("it is a FIFO (named pipe), not a regular file"),
        "{}",
        run.stderr
    );
    let run = run_bounded(&site, &["import", "/dev/zero"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot read the seed `/dev/zero`: it is a character device"),
        "{}",
        run.stderr
    );
    let big = outside.path().join("big.txt");
    let mut text = identical_paragraphs(8);
    text.push_str(&"x".repeat(11 * 1024 * 1024));
    fs::write(&big, text).unwrap();
    let run = run_bounded(&site, &["import", big.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("more than the 10 MB a source file may hold"),
        "{}",
        run.stderr
    );

    // Twenty thousand identical paragraphs: one pledge each, with distinct slugs, in a
    // bounded time (the slugs were quadratic).
    let many = outside.path().join("many.txt");
    fs::write(&many, identical_paragraphs(20_000)).unwrap();
    let run = run_bounded(&site, &["import", many.to_str().unwrap(), "--slug", "many"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pledges = walkdir::WalkDir::new(site.path().join("content/statements/many"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "_index.md")
        .count();
    assert_eq!(pledges, 20_000);
    assert!(
        site.path()
            .join("content/statements/many/part-4/parties-cooperate-20000.md")
            .is_file()
    );
}

#[test]
fn inputs_built_to_be_quadratic_finish_or_stop_at_a_limit() {
    let site = Site::fixture("minimal");
    // 100,000 mentions of four entities in one pledge: linear, and it builds.
    let body = "Japan and Canada fund the Green Corridor on climate. ".repeat(25_000);
    site.write(
        "content/statements/g7-2030/climate/mentions.md",
        format!("+++\ntitle = \"Many mentions\"\ntopics = [\"climate\"]\n+++\n{body}\n"),
    );
    // 20,000 identical headings: each gets its own id, without trying every taken one.
    let headings = "## Same\n\npara\n\n".repeat(20_000);
    site.write(
        "content/pages/headings.md",
        format!("+++\ntitle = \"Headings\"\n+++\n{headings}"),
    );
    let run = run_bounded(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/headings/index.html");
    assert!(page.contains("id=\"same-19999\""));

    // A pledge listing more entities than a pledge may: a clear error at the first one over.
    let mut topics = Vec::new();
    for i in 0..150 {
        site.write(
            &format!("content/topics/many-{i}.md"),
            format!("+++\ntitle = \"Many {i}\"\n+++\n"),
        );
        topics.push(format!("\"many-{i}\""));
    }
    site.write(
        "content/statements/g7-2030/climate/lists.md",
        format!(
            "+++\ntitle = \"Lists many\"\ntopics = [{}]\n+++\nText.\n",
            topics.join(", ")
        ),
    );
    let run = run_bounded(&site, &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "content/statements/g7-2030/climate/lists.md:3:1101: error: pledge lists 150 entities; at most 100 may be listed"
        ),
        "{}",
        run.stderr
    );

    // The same entities named in its text instead.
    let named: String = (0..150).map(|i| format!("Many {i} matters. ")).collect();
    site.write(
        "content/statements/g7-2030/climate/lists.md",
        format!("+++\ntitle = \"Names many\"\ntopics = [\"climate\"]\n+++\n{named}\n"),
    );
    let run = run_bounded(&site, &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "content/statements/g7-2030/climate/lists.md:5:1: error: pledge text names 150 different entities; at most 100 may be linked from one pledge"
        ),
        "{}",
        run.stderr
    );
}
