//! Reading a content or source file as text: at most [`MAX_FILE_BYTES`], UTF-8 (a BOM is
//! dropped, UTF-16 is refused with advice), and a regular file inside the project.

use std::path::Path;

use crate::diagnostic::{Diagnostic, SourceText};
use crate::files::{self, Project, ReadError, Refusal};

/// The largest content or source file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads a file as UTF-8 text, refusing files that are too large or not UTF-8.
pub fn read_text(path: &Path, relative: &str) -> Result<String, Diagnostic> {
    let bytes = files::read_limited(path, MAX_FILE_BYTES).map_err(|error| match error {
        ReadError::TooLarge(size) => Diagnostic::error(
            relative,
            1,
            1,
            format!(
                "file is {:.1} MB, more than the {} MB a content file may hold",
                size as f64 / 1e6,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        )
        .with_help("split it, or move large documents out of content/"),
        ReadError::NotAFile(kind) => {
            Diagnostic::error(relative, 1, 1, format!("{kind} is not a regular file"))
                .with_help("remove it: only regular files are read")
        }
        ReadError::Io(error) => {
            Diagnostic::error(relative, 1, 1, format!("cannot read the file: {error}"))
        }
    })?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(relative, 1, 1, "file is encoded as UTF-16")
                .with_help("save it as UTF-8 (in most editors: Save with Encoding, UTF-8)"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, col) = SourceText::new(relative, &prefix).line_col(valid);
            Err(Diagnostic::error(
                relative,
                line,
                col,
                format!("file is not valid UTF-8 (byte {valid})"),
            )
            .with_help("save the file as UTF-8"))
        }
    }
}

/// Reads a source's published text, which must be a regular file inside the project, out of
/// hidden folders. An error says what is wrong and, when a folder on the way cannot be read,
/// which one (several sources may point into it).
pub(super) fn read_source_file(
    project: &Project,
    path: &str,
) -> Result<String, (String, Option<String>)> {
    let what = "source file";
    let file = project.resolve_file(path).map_err(|refusal| {
        let unreadable = match &refusal {
            Refusal::Unreadable(folder, _) => Some(folder.clone()),
            _ => None,
        };
        (refusal.message(what, path), unreadable)
    })?;
    read_text(&file, path)
        .map_err(|diagnostic| (format!("{what} `{path}`: {}", diagnostic.message), None))
}
