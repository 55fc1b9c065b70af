//! Small helpers: dates, slugs, TOML quoting, wrapping and writing files.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

#[derive(Clone, Copy, PartialEq, PartialOrd)]
pub(crate) struct Date(pub(crate) u32, pub(crate) u32, pub(crate) u32);

impl Date {
    pub(crate) fn plus_months(self, months: u32) -> Date {
        let m0 = self.1 - 1 + months;
        Date(self.0 + m0 / 12, m0 % 12 + 1, self.2)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

pub(crate) fn slugify(text: &str, max_words: usize) -> String {
    let mut words = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        words.push(word.to_ascii_lowercase());
        if words.len() == max_words {
            break;
        }
    }
    words.join("-")
}

/// A TOML (and YAML) basic string: JSON string syntax is valid in both for our text.
pub(crate) fn q(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialise")
}

pub(crate) fn list(slugs: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = slugs.map(|s| q(&s)).collect();
    format!("[{}]", items.join(", "))
}

pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

pub(crate) fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

pub(crate) fn ensure_empty(dir: &Path) -> Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        bail!("{} exists and is not empty", dir.display());
    }
    fs::create_dir_all(dir)?;
    Ok(())
}
