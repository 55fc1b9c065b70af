//! Splits arbitrary bytes into front matter and body and parses the front matter as every
//! kind of content file. Nothing may panic; every failure must be a located diagnostic.

#![no_main]

use communique::content::frontmatter::{
    self, EntityFrontMatter, PledgeFrontMatter, SourceFrontMatter, StatementFrontMatter,
};
use communique::diagnostic::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = SourceText::new("fuzz.md", text);
    let Ok(split) = frontmatter::split(&source) else { return };
    assert!(split.front_matter_offset <= text.len() && split.body_offset <= text.len());
    let diagnostics = [
        frontmatter::parse::<PledgeFrontMatter>(&source, &split).err(),
        frontmatter::parse::<StatementFrontMatter>(&source, &split).err(),
        frontmatter::parse::<EntityFrontMatter>(&source, &split).err(),
        frontmatter::parse::<SourceFrontMatter>(&source, &split).err(),
    ];
    for diagnostic in diagnostics.into_iter().flatten() {
        assert!(diagnostic.line >= 1 && diagnostic.col >= 1);
        let _ = diagnostic.to_string();
    }
});
