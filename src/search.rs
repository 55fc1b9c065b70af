//! Full-text search, built at build time with Pagefind's Rust library, run in-process: the
//! rendered pages go in, the static search bundle (index, WebAssembly, JavaScript UI) comes
//! out under `/pagefind/`, served like any other file. No search server, no network.
//!
//! Templates mark what is indexed with `data-pagefind-body` and the filters with
//! `data-pagefind-filter` (topic, country, program, status, type).

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::pipeline::OutputFile;

/// The folder of the search bundle in the output.
pub const BUNDLE: &str = "pagefind";

/// Indexes `pages` (URL path and HTML) and returns the search bundle's files.
pub fn index(pages: &[(String, &[u8])], language: &str) -> anyhow::Result<Vec<OutputFile>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config))?;
        let started = std::time::Instant::now();
        for (url, html) in pages {
            index
                .add_html_file(
                    None,
                    Some(url.clone()),
                    indexable_part(&String::from_utf8_lossy(html)),
                )
                .await
                .map_err(|error| anyhow::anyhow!("cannot index {url} for search: {error}"))?;
        }
        let added = std::time::Instant::now();
        let files = index.get_files().await?;
        if std::env::var_os("COMMUNIQUE_TIMINGS").is_some() {
            eprintln!(
                "timings: search: pages added in {} ms, index built in {} ms",
                (added - started).as_millis(),
                added.elapsed().as_millis()
            );
        }
        let mut outputs: Vec<OutputFile> = files
            .into_iter()
            .map(|file| OutputFile {
                path: format!(
                    "{BUNDLE}/{}",
                    file.filename.to_string_lossy().replace('\\', "/")
                ),
                bytes: file.contents,
                origin: "search index".to_string(),
            })
            .collect();
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(outputs)
    })
}

/// The part of a page Pagefind reads: its `<main>` element, in a minimal document. Headers,
/// navigation and footers are never indexed, and parsing them is most of the work.
fn indexable_part(html: &str) -> String {
    let main = html.find("<main").and_then(|start| {
        let end = html[start..].find("</main>")? + start + "</main>".len();
        Some(&html[start..end])
    });
    match main {
        Some(main) => {
            format!("<!DOCTYPE html><html><head><title></title></head><body>{main}</body></html>")
        }
        None => html.to_string(),
    }
}
