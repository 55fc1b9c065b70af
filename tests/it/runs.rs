//! Unusual runs of `build` into one output: a build while another holds it, two builds into
//! it at once, and leftovers that cannot be removed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{Site, assert_no_panic, finish, tree};

/// The lock file a build of `site` into `public/` takes.
fn lock_file(site: &Site) -> PathBuf {
    site.path().join(".public.communique-lock")
}

#[test]
fn a_build_refuses_while_another_holds_the_output() {
    let site = Site::fixture("minimal");
    site.build();
    let before = tree(&site.public());
    // Another build at work: it holds the lock and is writing its staging folder.
    let lock = fs::File::open(lock_file(&site)).unwrap();
    lock.try_lock().unwrap();
    let staging = site.path().join(".public.communique-new-999999");
    fs::create_dir_all(staging.join("topics")).unwrap();
    fs::write(staging.join("topics/index.html"), "being written").unwrap();

    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: another build is writing `[site]/public`\nhelp: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("released"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(run.stdout, "");
    // Neither the site nor the other build's staging folder was touched.
    assert_eq!(tree(&site.public()), before);
    assert_eq!(
        fs::read_to_string(staging.join("topics/index.html")).unwrap(),
        "being written"
    );
    // The same output named another way is the same lock.
    let run = site.run(&["build", "--output", "./topics/../public"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("another build is writing"));

    // Once the other build is gone its lock is too, and its leftover is cleaned up.
    drop(lock);
    site.build();
    assert!(!staging.exists());
    assert_eq!(tree(&site.public()), before);
    assert_eq!(site.leftovers(), Vec::<String>::new());
}

/// How long after the first of two builds the second starts, round by round (no timing is
/// asserted: any overlap, or none, must end well).
const STAGGER_MS: [u64; 10] = [0, 5, 20, 50, 100, 150, 250, 400, 600, 900];

/// A site big enough that two builds started together overlap.
fn bigger_site() -> Site {
    let site = Site::fixture("minimal");
    for i in 0..60 {
        site.write(
            &format!("content/statements/g7-2030/climate/generated-{i}.md"),
            format!(
                "+++\ntitle = \"Generated pledge {i}\"\nweight = {}\ntopics = [\"climate\", \"trade\"]\nstatus = \"announced\"\n+++\nThe Parties will fund the Green Corridor with Japan and Canada, step {i}.\n",
                i + 10
            ),
        );
    }
    site
}

#[test]
fn two_builds_into_one_output_at_once_end_cleanly_and_leave_a_whole_site() {
    let site = bigger_site();
    let reference = site.path().join("reference");
    let run = site.run(&["build", "--output", reference.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reference = tree(&reference);
    assert!(reference.contains_key("index.html"));
    let mut refused = 0;
    for (round, stagger_ms) in STAGGER_MS.into_iter().enumerate() {
        // The same output, named two ways.
        let spawn = |args: &[&str]| {
            site.command(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        // The second starts at a different moment of the first each round: together, while
        // it cleans up and stages, while it renders, while it swaps the site in.
        let first = spawn(&["build"]);
        std::thread::sleep(Duration::from_millis(stagger_ms));
        let second = spawn(&["build", "--output", "public"]);
        let runs = [finish(&site, first), finish(&site, second)];
        for run in &runs {
            assert_no_panic("a concurrent build", run);
            if run.code == 0 {
                assert!(run.stdout.starts_with("built "), "{}", run.stdout);
                assert_eq!(run.stderr, "");
            } else {
                assert_eq!(run.code, 1, "round {round}:\n{}", run.stderr);
                assert!(
                    run.stderr
                        .starts_with("error: another build is writing `[site]/public`\nhelp: "),
                    "round {round}: an error other than the lock:\n{}",
                    run.stderr
                );
                assert_eq!(run.stderr.matches("error").count(), 1, "{}", run.stderr);
                refused += 1;
            }
        }
        assert!(
            runs.iter().any(|run| run.code == 0),
            "round {round}: neither build ran"
        );
        let built = tree(&site.public());
        assert!(
            built == reference,
            "round {round}: public/ is not the whole site"
        );
        assert_eq!(site.leftovers(), Vec::<String>::new(), "round {round}");
    }
    eprintln!(
        "{refused} of {} concurrent builds found the output locked",
        2 * STAGGER_MS.len()
    );
}

/// Makes `dir` a folder that cannot be removed: a read-only folder inside it for an ordinary
/// user, an immutable file (`chattr +i`) for root, which ignores permissions. `None` when
/// neither works here. Undone for the whole site when the returned guard is dropped.
#[cfg(unix)]
fn unremovable(dir: &Path, site: &Path) -> Option<Unremovable> {
    use std::os::unix::fs::PermissionsExt;
    let inner = dir.join("kept");
    let file = inner.join("page.html");
    fs::create_dir_all(&inner).unwrap();
    fs::write(&file, "old").unwrap();
    fs::set_permissions(&inner, fs::Permissions::from_mode(0o555)).unwrap();
    let guard = Unremovable {
        site: site.to_path_buf(),
    };
    if fs::remove_file(&file).is_err() {
        return Some(guard);
    }
    fs::set_permissions(&inner, fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(&file, "old").unwrap();
    let immutable = Command::new("chattr")
        .arg("+i")
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    (immutable && fs::remove_file(&file).is_err()).then_some(guard)
}

/// Makes everything under a site removable again.
struct Unremovable {
    site: PathBuf,
}

impl Drop for Unremovable {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = Command::new("chattr")
                .args(["-R", "-i"])
                .arg(&self.site)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            for entry in walkdir::WalkDir::new(&self.site).into_iter().flatten() {
                if entry.file_type().is_dir() {
                    let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755));
                }
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn a_leftover_that_cannot_be_removed_is_reported_once() {
    let site = Site::fixture("minimal");
    site.build();
    let leftover = site.path().join(".public.communique-new-4242");
    let Some(_guard) = unremovable(&leftover, site.path()) else {
        eprintln!(
            "notice: skipping a_leftover_that_cannot_be_removed_is_reported_once: no folder can be made unremovable here (root, and no chattr +i); output::lock::tests covers it through the removal seam"
        );
        return;
    };
    let run = site.build();
    let warning = "warning: cannot remove `[site]/.public.communique-new-4242`";
    assert_eq!(run.stderr.matches(warning).count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "moved it to `[site]/.public.communique-stuck-new-4242`, which later builds leave alone"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("rm -rf '[site]/.public.communique-stuck-new-4242'"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.leftovers(),
        vec![".public.communique-stuck-new-4242".to_string()]
    );
    // Later builds neither warn again nor fail.
    for _ in 0..2 {
        let run = site.build();
        assert_eq!(run.stderr, "", "a later build warned again");
    }
    assert!(site.public().join("index.html").exists());
}
