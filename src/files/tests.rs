use super::*;
use std::os::unix::fs::symlink;

fn project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::open(dir.path()).unwrap();
    (dir, project)
}

fn names(walk: &Walk) -> Vec<&str> {
    walk.files.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn walks_follow_links_inside_and_refuse_links_outside() {
    let (dir, project) = project();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("static/css")).unwrap();
    fs::create_dir_all(root.join("shared/img")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join(".git/config"), "token").unwrap();
    fs::write(root.join("static/css/a.css"), "a").unwrap();
    fs::write(root.join("shared/img/logo.png"), "png").unwrap();
    fs::write(root.join("static/.env"), "secret").unwrap();
    symlink(root.join("shared/img"), root.join("static/img")).unwrap();
    symlink(
        root.join("shared/img/logo.png"),
        root.join("static/logo.png"),
    )
    .unwrap();
    symlink(outside.path(), root.join("static/out")).unwrap();
    symlink(outside.path().join("secret.txt"), root.join("static/s.txt")).unwrap();
    symlink(root.join(".git/config"), root.join("static/config")).unwrap();
    symlink(root.join("static"), root.join("static/css/loop")).unwrap();
    symlink(root.join("nowhere"), root.join("static/dangling")).unwrap();

    let walk = project.walk("static", WalkOptions::default());
    assert_eq!(names(&walk), ["css/a.css", "img/logo.png", "logo.png"]);
    assert_eq!(
        walk.files[1].path,
        project.canonical.join("shared/img/logo.png")
    );
    let problems: Vec<String> = walk
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(
        problems[0].starts_with(
            "static/config: symbolic link points into the hidden file or folder `.git`"
        )
    );
    assert!(problems[1].starts_with("static/css/loop: symbolic link loop"));
    assert!(problems[2].starts_with("static/dangling: symbolic link cannot be followed"));
    assert!(problems[3].starts_with("static/out: symbolic link points outside the project"));
    assert!(problems[4].starts_with("static/s.txt: symbolic link points outside the project"));

    // The walked folder itself may be a link, inside or out.
    fs::remove_dir_all(root.join("static")).unwrap();
    symlink(outside.path(), root.join("static")).unwrap();
    let walk = project.walk("static", WalkOptions::default());
    assert!(walk.files.is_empty());
    assert_eq!(walk.problems.len(), 1);
    assert_eq!(walk.problems[0].path, "static");
}

#[test]
fn special_files_are_refused_without_opening_them() {
    let (dir, project) = project();
    fs::create_dir_all(dir.path().join("static")).unwrap();
    let fifo = dir.path().join("static/pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let walk = project.walk("static", WalkOptions::default());
    assert!(walk.files.is_empty());
    assert_eq!(
        walk.problems[0].message,
        "a FIFO (named pipe) is not a regular file"
    );
    // Read directly, it is refused too, and nothing blocks.
    assert!(matches!(
        read_limited(&fifo, 10),
        Err(ReadError::NotAFile("a FIFO (named pipe)"))
    ));
    assert!(matches!(
        read_limited(Path::new("/dev/zero"), 10),
        Err(ReadError::NotAFile("a character device"))
    ));
    assert_eq!(
        project.resolve_file("static/pipe"),
        Err(Refusal::NotAFile("a FIFO (named pipe)"))
    );
}

#[test]
fn reads_stop_at_the_limit() {
    let (dir, _) = project();
    let path = dir.path().join("big");
    fs::write(&path, vec![b'a'; 100]).unwrap();
    assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
    assert!(matches!(
        read_limited(&path, 99),
        Err(ReadError::TooLarge(100))
    ));
}

#[test]
fn named_files_stay_inside_and_visible() {
    let (dir, project) = project();
    let root = dir.path();
    fs::create_dir_all(root.join("seeds")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join("seeds/a.txt"), "a").unwrap();
    fs::write(root.join(".git/config"), "token").unwrap();
    symlink(root.join(".git/config"), root.join("seeds/config.txt")).unwrap();
    symlink("/etc/hostname", root.join("seeds/host.txt")).unwrap();
    assert!(project.resolve_file("seeds/a.txt").is_ok());
    assert!(project.resolve_file("seeds/../seeds/a.txt").is_ok());
    assert_eq!(project.resolve_file("seeds/b.txt"), Err(Refusal::Missing));
    assert_eq!(
        project.resolve_file("seeds"),
        Err(Refusal::NotAFile("a folder"))
    );
    assert_eq!(
        project.resolve_file(".git/config"),
        Err(Refusal::Hidden(".git".into()))
    );
    assert_eq!(
        project.resolve_file("seeds/config.txt"),
        Err(Refusal::Hidden(".git".into()))
    );
    assert!(matches!(
        project.resolve_file("seeds/host.txt"),
        Err(Refusal::Outside(_))
    ));
    assert!(matches!(
        project.resolve_file("../../etc/hostname"),
        Err(Refusal::Outside(_)) | Err(Refusal::Missing)
    ));
    assert!(matches!(
        project.resolve_file("/etc/hostname"),
        Err(Refusal::Outside(_))
    ));
}

#[test]
fn well_known_is_the_one_hidden_folder_published_when_asked() {
    let (dir, project) = project();
    let root = dir.path();
    fs::create_dir_all(root.join("static/.well-known")).unwrap();
    fs::write(root.join("static/.well-known/security.txt"), "x").unwrap();
    fs::create_dir_all(root.join("static/.well-known/.git")).unwrap();
    fs::write(root.join("static/.well-known/.git/x"), "x").unwrap();
    assert!(names(&project.walk("static", WalkOptions::default())).is_empty());
    let walk = project.walk(
        "static",
        WalkOptions {
            well_known: true,
            ..WalkOptions::default()
        },
    );
    assert_eq!(names(&walk), [".well-known/security.txt"]);
}
