//! The files a build copies rather than makes: the theme's and the site's static files,
//! with the URL each is linked by (`site.assets`), and each source's published text beside
//! its page. Reading a static file is bounded by [`MAX_STATIC_BYTES`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::files::{Project, WalkOptions};
use crate::hash::fnv1a;
use crate::model::Site;
use crate::output::{FileOrigin, OutputFile};
use crate::routes;

/// Each static file's URL with a `?v=` query naming its content, so a changed file gets a
/// new URL and hosts may let browsers cache static files for a long time.
pub(crate) fn asset_urls(
    statics: &[OutputFile],
    prefix: &str,
    fingerprint: bool,
) -> BTreeMap<String, String> {
    statics
        .iter()
        .map(|file| {
            let url = if fingerprint {
                format!(
                    "{prefix}/{}?v={:08x}",
                    file.path,
                    fnv1a(file.bytes.iter().copied()) as u32
                )
            } else {
                format!("{prefix}/{}", file.path)
            };
            (file.path.clone(), url)
        })
        .collect()
}

/// Copies of each source's published text, beside its page, so readers can fetch it.
pub(crate) fn source_copies(site: &Site) -> Vec<OutputFile> {
    (0..site.sources.len())
        .filter_map(|i| {
            let source = &site.sources[i];
            let (file, text) = (source.file.as_ref()?, source.text.as_ref()?);
            Some(OutputFile {
                path: routes::source_copy_path(site, i)?,
                bytes: text.clone().into_bytes(),
                origin: FileOrigin::SourceText(file.clone()),
            })
        })
        .collect()
}

/// The theme's `static/` files with the site's own `static/` laid over them. Links are
/// followed inside the project only, hidden files are left out (but `.well-known/`), and a
/// file that cannot be read is reported at its own path.
pub(crate) fn static_files(root: &Path, theme: &str) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let project = Project::open(root).map_err(|error| {
        vec![Diagnostic::error(
            "static",
            1,
            1,
            format!("cannot open the site folder: {error}"),
        )]
    })?;
    let mut files: BTreeMap<String, (Vec<u8>, String)> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for dir in [format!("themes/{theme}/static"), "static".to_string()] {
        let walk = project.walk(
            &dir,
            WalkOptions {
                well_known: true,
                ..WalkOptions::default()
            },
        );
        diagnostics.extend(walk.problems);
        for found in walk.files {
            match crate::files::read_limited(&found.path, MAX_STATIC_BYTES) {
                Ok(bytes) => {
                    files.insert(found.name, (bytes, found.relative));
                }
                Err(error) => diagnostics.push(
                    Diagnostic::error(
                        &found.relative,
                        1,
                        1,
                        format!("cannot read static file: {error}"),
                    )
                    .with_help(format!(
                        "static files may hold up to {} MB; check the file's permissions and size",
                        MAX_STATIC_BYTES / 1024 / 1024
                    )),
                ),
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(files
        .into_iter()
        .map(|(path, (bytes, origin))| OutputFile {
            path,
            bytes,
            origin: FileOrigin::Static(origin),
        })
        .collect())
}

/// The largest static file copied, in bytes: a site is read into memory, so a stray video
/// or disk image is refused rather than let exhaust it.
pub const MAX_STATIC_BYTES: u64 = 100 * 1024 * 1024;
