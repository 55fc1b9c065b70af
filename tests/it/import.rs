//! `communique import`: a published statement becomes content files to curate.

use std::fs;

use crate::support::{Site, normalize, repo, tree};

fn import_fixture() -> (Site, String) {
    let site = Site::fixture("import-site");
    let seed = repo()
        .join("tests/fixtures/seeds/accord.txt")
        .display()
        .to_string();
    (site, seed)
}

#[test]
fn imports_a_statement_of_another_shape() {
    let (site, seed) = import_fixture();
    let run = site.run(&["import", &seed, "--slug", "ocean-accord"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("import_stdout", run.stdout);
    let written = tree(&site.path().join("content/statements"));
    let mut listing = String::new();
    for (path, bytes) in &written {
        listing.push_str(&format!("=== {path}\n{}\n", String::from_utf8_lossy(bytes)));
    }
    insta::assert_snapshot!("import_files", listing);
    // The seed lives outside the site, so it is copied into seeds/ untouched.
    assert_eq!(
        fs::read(site.path().join("seeds/accord.txt")).unwrap(),
        fs::read(&seed).unwrap()
    );
    // The imported site builds as it is.
    site.build();
    assert!(
        site.public()
            .join("statements/ocean-accord/fisheries-and-ports/index.html")
            .exists()
    );
}

#[test]
fn never_overwrites_without_force() {
    let (site, seed) = import_fixture();
    assert_eq!(
        site.run(&["import", &seed, "--slug", "ocean-accord"]).code,
        0
    );
    let pledge = "content/statements/ocean-accord/science/two-countries-share-ocean-data.md";
    site.write(pledge, "curated by hand");
    let again = site.run(&["import", &seed, "--slug", "ocean-accord"]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("already exist and were left untouched; nothing was written"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("--force"));
    assert_eq!(site.read(pledge), "curated by hand");
    let forced = site.run(&["import", &seed, "--slug", "ocean-accord", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_ne!(site.read(pledge), "curated by hand");
}

#[test]
fn rejects_files_that_are_not_statements() {
    let (site, _) = import_fixture();
    site.write("notes.txt", "just some text\n");
    let run = site.run(&[
        "import",
        &site.path().join("notes.txt").display().to_string(),
    ]);
    assert_eq!(run.code, 1);
    // Read as plain text: one line, so neither a title line nor a date line.
    assert!(
        run.stderr.contains("the title and the date are missing")
            && run.stderr.contains("--title")
            && run.stderr.contains("--date YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    site.write(
        "noheadings.txt",
        "---\ntitle: x\ndate: 2030-01-01\n---\nText only.\n",
    );
    let run = site.run(&[
        "import",
        &site.path().join("noheadings.txt").display().to_string(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no section headings"), "{}", run.stderr);
}

/// Importing the official statement gives the same paragraphs as the curated content:
/// curation changed headlines, slugs and entities, never the words.
#[test]
fn the_shipped_statement_is_its_import_curated() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("site.toml"),
        "title = \"t\"\nbase_url = \"https://t.example\"\n",
    )
    .unwrap();
    let seed = repo().join("seeds/003_2e7e4c96784554f6.txt");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_communique"))
        .args([
            "import",
            &seed.display().to_string(),
            "--slug",
            "s",
            "--root",
            &dir.path().display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bodies = |root: &std::path::Path| -> Vec<String> {
        let mut found: Vec<String> = tree(root)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".md"))
            .filter_map(|(_, bytes)| {
                let text = String::from_utf8(bytes).unwrap();
                let body = text.splitn(3, "+++\n").nth(2).unwrap_or("").to_string();
                (!body.trim().is_empty()).then(|| normalize(&body))
            })
            .collect();
        found.sort();
        found
    };
    let imported = bodies(&dir.path().join("content/statements/s"));
    let shipped = bodies(&repo().join("content/statements/us-italy-2025"));
    assert_eq!(imported.len(), 17);
    assert_eq!(imported, shipped);
}
