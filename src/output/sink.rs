//! Where a build's files go as they are made: the one seam between the stages that make
//! files and the place that keeps them. A stage hands every file it makes to a [`Sink`] and
//! never asks which one it is.
//!
//! - [`Staging`] writes each file into the output's staging folder at once and drops its
//!   bytes, so a `build` holds the model in memory rather than the output.
//! - [`MemorySink`] keeps every file, for `check`, `serve` and the tests.

use std::io::Write;
use std::sync::{Mutex, PoisonError};

use super::file::{FileOrigin, OutputFile};
use super::staging::Staging;

/// Takes the files of a build as they are made, from any thread.
pub trait Sink: Sync {
    /// Takes a finished file.
    fn put(&self, file: OutputFile) -> anyhow::Result<()>;

    /// Takes the file at `path` (a `/`-separated output path) that `write` writes, for
    /// files large enough that they are better streamed than held (the JSON, the feeds).
    fn put_with(
        &self,
        path: &str,
        origin: FileOrigin,
        write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        self.write(&file)
    }

    fn put_with(
        &self,
        path: &str,
        _origin: FileOrigin,
        write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        self.write_with(path, write)
    }
}

/// Keeps every file in memory.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Vec<OutputFile>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> MemorySink {
        MemorySink::default()
    }

    /// Every file taken, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
        Ok(())
    }

    fn put_with(
        &self,
        path: &str,
        origin: FileOrigin,
        write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(OutputFile {
            path: path.to_string(),
            bytes,
            origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sinks_keep_the_same_bytes() {
        let files = |sink: &dyn Sink| {
            sink.put(OutputFile {
                path: "b/index.html".into(),
                bytes: b"page".to_vec(),
                origin: FileOrigin::Template("404.html"),
            })
            .unwrap();
            sink.put_with("a.json", FileOrigin::Generated, &|out| out.write_all(b"{}"))
                .unwrap();
        };
        let memory = MemorySink::new();
        files(&memory);
        let kept: Vec<(String, Vec<u8>)> = memory
            .into_files()
            .into_iter()
            .map(|file| (file.path, file.bytes))
            .collect();
        assert_eq!(
            kept,
            [
                ("a.json".to_string(), b"{}".to_vec()),
                ("b/index.html".to_string(), b"page".to_vec())
            ]
        );

        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("site");
        let staging = Staging::begin(&target).unwrap();
        files(&staging);
        staging.commit().unwrap();
        assert_eq!(std::fs::read(target.join("a.json")).unwrap(), b"{}");
        assert_eq!(std::fs::read(target.join("b/index.html")).unwrap(), b"page");
    }
}
