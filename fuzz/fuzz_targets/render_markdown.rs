//! Builds a one-pledge site whose pledge body (and title) are arbitrary text, through the
//! whole pipeline and the default theme. Nothing may panic, and raw HTML must never pass.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn site() -> &'static std::path::Path {
    static SITE: OnceLock<tempfile_dir::Dir> = OnceLock::new();
    SITE.get_or_init(tempfile_dir::Dir::new).path()
}

/// A scratch site shared by all runs: site.toml, one statement and section, the default theme.
mod tempfile_dir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let root = std::env::temp_dir().join(format!("communique-fuzz-{}", std::process::id()));
            let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("content/statements/s/a")).unwrap();
            std::fs::write(root.join("site.toml"), "title = \"f\"\nbase_url = \"https://f.example\"\n").unwrap();
            std::fs::write(root.join("content/statements/s/_index.md"), "+++\ntitle = \"S\"\ndate = 2030-01-01\n+++\nPreamble.\n").unwrap();
            std::fs::write(root.join("content/statements/s/a/_index.md"), "+++\ntitle = \"A\"\n+++\n").unwrap();
            copy(&repo.join("themes/default"), &root.join("themes/default"));
            Dir(root)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let root = site();
    let pledge = format!("+++\ntitle = \"P\"\ntopics = []\n+++\n{body}");
    std::fs::write(root.join("content/statements/s/a/p.md"), pledge).unwrap();
    if let Ok(built) = communique::pipeline::build(root, &communique::pipeline::BuildOptions::default()) {
        let page = built.files.iter().find(|f| f.path == "statements/s/a/p/index.html").unwrap();
        let html = String::from_utf8_lossy(&page.bytes);
        assert!(!html.contains("<script"), "raw HTML passed through");
    }
});
