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
        for (url, html) in pages {
            index
                .add_html_file(
                    None,
                    Some(url.clone()),
                    String::from_utf8_lossy(html).into_owned(),
                )
                .await
                .map_err(|error| anyhow::anyhow!("cannot index {url} for search: {error}"))?;
        }
        let files = index.get_files().await?;
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
