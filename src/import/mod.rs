//! Turning a published statement into content files to curate.
//!
//! The format read is that of the White House's published statements: YAML front matter with
//! `title`, `date` and `source_url`, then a Markdown body whose section headings are bold,
//! underlined lines (`**<u>Heading</u>**`). Text before the first heading is the preamble;
//! each paragraph after a heading is one pledge. Writes content files only; never renders.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::content::MAX_FILE_BYTES;
use crate::content::frontmatter::{self, EntityFrontMatter};
use crate::diagnostic::SourceText;
use crate::fence::{self, Unfenced};
use crate::files::{self, ReadError};
use crate::markdown::mentions::{MentionMatcher, Name};
use crate::model::{Date, EntityKind};
use crate::slug;
use crate::stopwords;

/// A statement read from a seed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// Its title.
    pub title: String,
    /// When it was issued.
    pub date: Date,
    /// Where it was published.
    pub source_url: Option<String>,
    /// The paragraphs before the first heading.
    pub preamble: Vec<String>,
    /// Its sections in order.
    pub sections: Vec<SeedSection>,
}

/// A section of a seed: its heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSection {
    /// The heading text.
    pub heading: String,
    /// Its paragraphs, each with its line breaks and without trailing spaces.
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SeedFrontMatter {
    title: String,
    date: serde_yaml_ng::Value,
    source_url: Option<String>,
}

/// Options for [`import_seed`].
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder to write into.
    pub root: PathBuf,
    /// The statement's slug; derived from its title when absent.
    pub slug: Option<String>,
    /// Overwrite existing files.
    pub force: bool,
}

/// Reads a seed file's text.
pub fn parse_seed(text: &str) -> anyhow::Result<Seed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fenced = match fence::find(text, "---") {
        Ok(fenced) => fenced,
        Err(Unfenced::NoOpening) => bail!(
            "line 1: the seed does not start with a --- line\nhelp: a seed starts with YAML front matter between --- lines holding title, date and source_url"
        ),
        Err(Unfenced::NotClosed) => bail!(
            "line 1: the seed's front matter is never closed\nhelp: end it with a line holding only ---"
        ),
    };
    // Each line ends in `\n` alone, as YAML has always been given it here.
    let mut yaml = String::new();
    for line in text[fenced.inner].lines() {
        yaml.push_str(line);
        yaml.push('\n');
    }
    let front: SeedFrontMatter = serde_yaml_ng::from_str(&yaml).map_err(|error| {
        let line = error.location().map_or(2, |l| l.line() + 1);
        anyhow::anyhow!("line {line}: invalid seed front matter: {error}\nhelp: the front matter needs title, date (2025-04-18) and source_url")
    })?;
    let date_text = match &front.date {
        serde_yaml_ng::Value::String(s) => s.clone(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let date = Date::parse(date_text.get(..10).unwrap_or(&date_text))
        .with_context(|| format!("the seed's date `{date_text}` is not a date like 2025-04-18"))?;

    let mut preamble = Vec::new();
    let mut sections: Vec<SeedSection> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush =
        |paragraph: &mut Vec<&str>, sections: &mut Vec<SeedSection>, preamble: &mut Vec<String>| {
            if paragraph.is_empty() {
                return;
            }
            let text = paragraph.join("\n");
            paragraph.clear();
            match sections.last_mut() {
                Some(section) => section.paragraphs.push(text),
                None => preamble.push(text),
            }
        };
    for line in text[fenced.body_start..].lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut sections, &mut preamble);
        } else if let Some(heading) = heading_text(trimmed) {
            flush(&mut paragraph, &mut sections, &mut preamble);
            sections.push(SeedSection {
                heading,
                paragraphs: Vec::new(),
            });
        } else {
            paragraph.push(line.trim_end());
        }
    }
    flush(&mut paragraph, &mut sections, &mut preamble);
    if sections.is_empty() {
        bail!(
            "the seed has no section headings\nhelp: headings are lines of the form **<u>Heading</u>**"
        );
    }
    Ok(Seed {
        title: front.title.trim().to_string(),
        date,
        source_url: front.source_url,
        preamble,
        sections,
    })
}

/// The heading in a line such as `**<u>Heading</u>**`, if it is one.
fn heading_text(line: &str) -> Option<String> {
    let inner = line
        .strip_prefix("**<u>")
        .and_then(|l| l.strip_suffix("</u>**"))
        .or_else(|| {
            line.strip_prefix("<u>**")
                .and_then(|l| l.strip_suffix("**</u>"))
        })?;
    let heading = inner.split_whitespace().collect::<Vec<_>>().join(" ");
    (!heading.is_empty()).then_some(heading)
}

/// A slug from free text: `U.S. – Italy Cooperation` becomes `us-italy-cooperation`.
///
/// Unlike heading ids, these slugs drop dots and apostrophes inside words (`U.S.` is `us`,
/// `Italy’s` is `italys`): they become file names and URLs, which read better so, and a
/// re-import must name files as the first import did.
pub fn slug_from(text: &str, max_words: usize) -> String {
    slug::from_text(text, &['.', '\'', '’'], max_words)
}

/// Drafts a headline: the paragraph's first sentence, cut to about 70 characters.
pub fn draft_headline(paragraph: &str) -> String {
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut sentence_end = text.len();
    for (i, _) in text.match_indices(". ") {
        // "U.S. and" is not the end of a sentence: the period must follow a lowercase word.
        let before = &text[..i];
        let last_word = before.rsplit(' ').next().unwrap_or("");
        if last_word
            .chars()
            .all(|c| c.is_lowercase() || !c.is_alphabetic())
            && !last_word.contains('.')
        {
            sentence_end = i;
            break;
        }
    }
    let sentence = text[..sentence_end].trim_end_matches('.');
    if sentence.chars().count() <= 70 {
        return sentence.to_string();
    }
    let mut cut = String::new();
    for word in sentence.split(' ') {
        if cut.chars().count() + word.chars().count() + 1 > 68 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

fn pledge_slug(headline: &str) -> String {
    let all = slug_from(headline, 64);
    let significant: Vec<&str> = all
        .split('-')
        .filter(|w| !stopwords::is_stop_word(w, stopwords::Use::PledgeSlug) && w.len() > 1)
        .take(5)
        .collect();
    if significant.is_empty() {
        "pledge".to_string()
    } else {
        significant.join("-")
    }
}

/// The entities already written under `root/content`, as (kind, slug, title and aliases).
fn existing_entities(root: &Path) -> Vec<(EntityKind, String, Vec<String>)> {
    let mut entities = Vec::new();
    for kind in EntityKind::ALL {
        let dir = root.join("content").join(kind.folder());
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(bytes) = files::read_limited(&path, MAX_FILE_BYTES) else {
                continue; // `check` reports it
            };
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let relative = path.to_string_lossy().into_owned();
            let source = SourceText::new(&relative, &text);
            let Ok(split) = frontmatter::split(&source) else {
                continue;
            };
            let Ok(front) = frontmatter::parse::<EntityFrontMatter>(&source, &split) else {
                continue;
            };
            let slug = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut names = vec![front.title];
            names.extend(front.aliases.into_iter().map(toml::Spanned::into_inner));
            entities.push((kind, slug, names));
        }
    }
    entities
}

#[derive(Serialize)]
struct StatementOut<'a> {
    title: &'a str,
    date: toml::value::Datetime,
    parties: Vec<String>,
    source: &'a str,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    title: &'a str,
    publisher: &'a str,
    date: toml::value::Datetime,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    kind: &'static str,
    file: &'a str,
}

#[derive(Serialize)]
struct SectionOut<'a> {
    title: &'a str,
    weight: usize,
}

#[derive(Serialize)]
struct PledgeOut {
    title: String,
    weight: usize,
    topics: Vec<String>,
    countries: Vec<String>,
    programs: Vec<String>,
    status: &'static str,
}

fn with_front_matter<T: Serialize>(front: &T, body: &str) -> anyhow::Result<String> {
    let toml = toml::to_string(front).context("cannot write front matter")?;
    Ok(if body.is_empty() {
        format!("+++\n{toml}+++\n")
    } else {
        format!("+++\n{toml}+++\n{body}\n")
    })
}

/// The publisher's name from a URL's host: `https://www.whitehouse.gov/...` gives `whitehouse.gov`.
fn host_of(url: &str) -> Option<&str> {
    let after = url.split_once("://")?.1;
    let host = after.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host)).filter(|h| !h.is_empty())
}

/// Reads a seed as text, refusing what `check` would refuse as a source file: a special file
/// (a FIFO would block, `/dev/zero` never ends), more than [`MAX_FILE_BYTES`], or text that
/// is not UTF-8.
fn read_seed(seed_path: &Path) -> anyhow::Result<String> {
    let shown = seed_path.display();
    let bytes = files::read_limited(seed_path, MAX_FILE_BYTES).map_err(|error| match error {
        ReadError::TooLarge(size) => anyhow::anyhow!(
            "cannot read the seed `{shown}`: it is {:.1} MB, more than the {} MB a source file may hold\nhelp: split the statement, or import only its text",
            size as f64 / 1e6,
            MAX_FILE_BYTES / 1024 / 1024
        ),
        ReadError::NotAFile(kind) => anyhow::anyhow!(
            "cannot read the seed `{shown}`: it is {kind}, not a regular file\nhelp: save the statement to a file and import that"
        ),
        ReadError::Io(error) => anyhow::anyhow!("cannot read the seed `{shown}`: {error}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        anyhow::anyhow!(
            "cannot read the seed `{shown}`: it is not valid UTF-8 (byte {})\nhelp: save it as UTF-8",
            error.utf8_error().valid_up_to()
        )
    })?;
    Ok(text)
}

/// Gives out `base`, then `base-2`, `base-3`, … for names already taken, in constant time
/// per name however many paragraphs share a headline.
#[derive(Default)]
struct UniqueSlugs {
    taken: BTreeSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl UniqueSlugs {
    fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Writes content files for the statement in `seed_path`, returning the paths written.
pub fn import_seed(seed_path: &Path, options: &ImportOptions) -> anyhow::Result<Vec<PathBuf>> {
    let text = read_seed(seed_path)?;
    let seed =
        parse_seed(&text).with_context(|| format!("cannot import `{}`", seed_path.display()))?;
    let root = &options.root;
    let statement_slug = options
        .slug
        .clone()
        .unwrap_or_else(|| slug_from(&seed.title, 8));
    if !slug::is_valid(&statement_slug) {
        bail!(
            "`{statement_slug}` is not a valid slug\nhelp: use only lowercase letters a-z, digits and -, e.g. --slug us-italy-2025"
        );
    }

    // The seed must be inside the project for the source to point at it; copy it otherwise.
    let root_canonical = root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder `{}`", root.display()))?;
    let seed_canonical = seed_path.canonicalize()?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let seed_relative = match seed_canonical.strip_prefix(&root_canonical) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => {
            let name = seed_path
                .file_name()
                .context("the seed has no file name")?
                .to_string_lossy()
                .into_owned();
            files.push((PathBuf::from("seeds").join(&name), text.clone()));
            format!("seeds/{name}")
        }
    };

    let entities = existing_entities(root);
    let matcher =
        MentionMatcher::new(entities.iter().enumerate().flat_map(|(i, (_, _, names))| {
            names.iter().map(move |text| Name {
                text: text.clone(),
                entity: i,
            })
        }));
    let parties: Vec<String> = matcher
        .find(&seed.title)
        .into_iter()
        .filter(|m| entities[m.entity].0 == EntityKind::Country)
        .map(|m| entities[m.entity].1.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let date: toml::value::Datetime = seed
        .date
        .to_string()
        .parse()
        .expect("a Date prints as a TOML date");
    let host = seed
        .source_url
        .as_deref()
        .and_then(host_of)
        .unwrap_or("source");
    // One source per imported statement, so importing another statement never collides.
    let source_slug = format!("{statement_slug}-official");

    let statement_dir = PathBuf::from("content/statements").join(&statement_slug);
    files.push((
        statement_dir.join("_index.md"),
        with_front_matter(
            &StatementOut {
                title: &seed.title,
                date,
                parties: parties.clone(),
                source: &source_slug,
            },
            &seed.preamble.join("\n\n"),
        )?,
    ));
    files.push((
        PathBuf::from("content/sources").join(format!("{source_slug}.md")),
        with_front_matter(
            &SourceOut {
                title: &seed.title,
                publisher: host,
                date,
                url: seed.source_url.as_deref(),
                kind: "official",
                file: &seed_relative,
            },
            "",
        )?,
    ));
    let mut pledge_slugs = UniqueSlugs::default();
    let mut section_slugs = UniqueSlugs::default();
    for (section_idx, section) in seed.sections.iter().enumerate() {
        let mut section_slug = slug_from(&section.heading, 6);
        if section_slug.is_empty() {
            section_slug = format!("section-{}", section_idx + 1);
        }
        let section_slug = section_slugs.claim(section_slug);
        let section_dir = statement_dir.join(&section_slug);
        files.push((
            section_dir.join("_index.md"),
            with_front_matter(
                &SectionOut {
                    title: &section.heading,
                    weight: section_idx + 1,
                },
                "",
            )?,
        ));
        for (pledge_idx, paragraph) in section.paragraphs.iter().enumerate() {
            let headline = draft_headline(paragraph);
            let slug = pledge_slugs.claim(pledge_slug(&headline));
            let mut suggested: [BTreeSet<String>; 3] = Default::default();
            for mention in matcher.find(paragraph) {
                let (kind, entity_slug, _) = &entities[mention.entity];
                if *kind == EntityKind::Country && parties.contains(entity_slug) {
                    continue;
                }
                let slot = EntityKind::ALL
                    .iter()
                    .position(|k| k == kind)
                    .expect("ALL lists every kind");
                suggested[slot].insert(entity_slug.clone());
            }
            let [topics, countries, programs] =
                suggested.map(|set| set.into_iter().collect::<Vec<_>>());
            let front = PledgeOut {
                title: headline,
                weight: pledge_idx + 1,
                topics,
                countries,
                programs,
                status: "announced",
            };
            files.push((
                section_dir.join(format!("{slug}.md")),
                with_front_matter(&front, paragraph)?,
            ));
        }
    }

    let existing: Vec<&PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| root.join(p).exists())
        .collect();
    if !existing.is_empty() && !options.force {
        let list: Vec<String> = existing
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect();
        bail!(
            "{} file(s) already exist and were left untouched; nothing was written:\n{}\nhelp: pass --force to overwrite them, or --slug to import the statement under another name",
            existing.len(),
            list.join("\n")
        );
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let absolute = root.join(&path);
        if let Some(parent) = absolute.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        fs::write(&absolute, text)
            .with_context(|| format!("cannot write `{}`", absolute.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_skip_abbreviations_and_are_cut() {
        assert_eq!(
            draft_headline("The U.S. and Italy agree to work. Then more."),
            "The U.S. and Italy agree to work"
        );
        let long = draft_headline(
            "The U.S. and Italy reiterate the unwavering commitment to NATO and to the principle of developing their collective capacity.",
        );
        assert!(long.ends_with('…') && long.chars().count() <= 70, "{long}");
    }

    #[test]
    fn slugs_from_headings() {
        assert_eq!(
            slug_from("U.S.- Italy Cooperation for Security", 6),
            "us-italy-cooperation-for-security"
        );
        assert_eq!(
            slug_from("United States – Italy Joint Leaders’ Statement", 8),
            "united-states-italy-joint-leaders-statement"
        );
        assert_eq!(
            pledge_slug("The U.S. and Italy underscore that the war in Ukraine must end"),
            "italy-underscore-war-ukraine-must"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.whitehouse.gov/x"),
            Some("whitehouse.gov")
        );
        assert_eq!(host_of("nonsense"), None);
    }
}
