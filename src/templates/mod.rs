//! Tera templates: loading a theme with the site's own `templates/` laid over it by name,
//! and rendering one page. The views fed to templates are in [`views`].

pub mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, SourceText};
use crate::files::{Project, WalkOptions};
use crate::hash::fnv1a;
use crate::markdown::ThemeIds;
use crate::routes::REQUIRED_TEMPLATES;

/// The compiled templates of one theme plus the site's overrides.
pub struct Templates {
    tera: tera::Tera,
    /// Template name to the file it came from, relative to the site root.
    files: BTreeMap<String, String>,
    /// A hash of every template's name and text: equal fingerprints render equally.
    fingerprint: u64,
    /// Template name to its text, to find the ids it uses and the links it writes.
    texts: BTreeMap<String, String>,
}

/// Lists `*.html` files (and `*.svg`, the social card's template) under `dir` (relative to the root) as (name relative to `dir`, path
/// relative to the root, the file to read), with the problems met on the way: links that
/// leave the project and special files are refused, as everywhere the build reads.
fn template_files(
    project: &Project,
    dir: &str,
) -> (Vec<(String, String, PathBuf)>, Vec<Diagnostic>) {
    let walk = project.walk(dir, WalkOptions::default());
    let files = walk
        .files
        .into_iter()
        .filter(|found| found.name.ends_with(".html") || found.name.ends_with(".svg"))
        .map(|found| (found.name, found.relative, found.path))
        .collect();
    (files, walk.problems)
}

/// Loads `themes/<theme>/templates/` and the site's `templates/` over it.
pub fn load_templates(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme);
    if theme.is_empty()
        || theme.contains(['/', '\\'])
        || theme.starts_with('.')
        || !theme_dir.join("templates").is_dir()
    {
        let available: Vec<String> = std::fs::read_dir(root.join("themes"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("templates").is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let help = if available.is_empty() {
            "create themes/<name>/templates/ or copy the default theme".to_string()
        } else {
            format!("set theme to one of: {}", available.join(", "))
        };
        return Err(vec![
            Diagnostic::error(
                "site.toml",
                1,
                1,
                format!("theme `{theme}` has no folder themes/{theme}/templates"),
            )
            .with_help(help),
        ]);
    }
    let project = match Project::open(root) {
        Ok(project) => project,
        Err(error) => {
            return Err(vec![Diagnostic::error(
                "themes",
                1,
                1,
                format!("cannot open the site folder: {error}"),
            )]);
        }
    };
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut real: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for dir in [format!("themes/{theme}/templates"), "templates".to_string()] {
        let (found, mut problems) = template_files(&project, &dir);
        if problems.iter().any(|problem| problem.path == dir) {
            // The folder itself was refused: listing every template as missing would only
            // repeat that.
            return Err(problems);
        }
        diagnostics.append(&mut problems);
        for (name, relative, path) in found {
            files.insert(name.clone(), relative);
            real.insert(name, path);
        }
    }
    let mut sources = Vec::new();
    for (name, path) in &files {
        match crate::content::read_text(&real[name], path) {
            Ok(text) => sources.push((name.clone(), text)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    for required in REQUIRED_TEMPLATES {
        if !files.contains_key(required) {
            diagnostics.push(
                Diagnostic::error(
                    format!("themes/{theme}/templates"),
                    1,
                    1,
                    format!("theme `{theme}` has no template `{required}`"),
                )
                .with_help(format!(
                    "add themes/{theme}/templates/{required}, or templates/{required} in the site"
                )),
            );
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    // Tera's own escaping also turns `/` into `&#x2F;`, which is valid but makes every URL
    // unreadable in the source; escaping the five HTML-significant characters is enough.
    tera.set_escape_fn(crate::markdown::escape_html);
    // The output depends on the content alone: templates may not read the environment.
    tera.register_function("get_env", |_: &std::collections::HashMap<String, tera::Value>| {
        Err(tera::Error::msg("get_env is disabled: the output must not depend on the build machine's environment"))
    });
    let texts: BTreeMap<String, String> = sources.iter().cloned().collect();
    let fingerprint = fnv1a(
        texts
            .iter()
            .flat_map(|(name, text)| [name.as_bytes(), b"\0", text.as_bytes(), b"\0"])
            .flatten()
            .copied(),
    );
    if let Err(error) = tera.add_raw_templates(sources) {
        return Err(vec![template_diagnostic(&files, &texts, &error)]);
    }
    Ok(Templates {
        tera,
        files,
        fingerprint,
        texts,
    })
}

/// Turns a Tera parse error into a diagnostic on the template file it names, pointing at
/// the place the parser gave and saying what it expected there.
fn template_diagnostic(
    files: &BTreeMap<String, String>,
    texts: &BTreeMap<String, String>,
    error: &tera::Error,
) -> Diagnostic {
    let chain = error_chain(error);
    let named = files
        .iter()
        .find(|(name, _)| chain.contains(&format!("'{name}'")));
    let place = chain.split("--> ").nth(1).and_then(|rest| {
        let place: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let (line, col) = place.split_once(':')?;
        Some((line.parse::<usize>().ok()?, col.parse::<usize>().ok()?))
    });
    // The parser's own words are on a line starting with `= `; otherwise the chain's last line.
    let detail = chain
        .lines()
        .find_map(|line| line.trim().strip_prefix("= "))
        .or_else(|| chain.lines().map(str::trim).rfind(|l| !l.is_empty()))
        .unwrap_or("cannot parse the template")
        .to_string();
    let help = "fix the template; the README lists the variables each template receives";
    match (named, place) {
        (Some((name, path)), Some((line, col))) if texts.contains_key(name) => {
            let source = SourceText::new(path, &texts[name]);
            source
                .error_at(
                    source.offset_of(line, col),
                    1,
                    format!("template syntax error: {detail}"),
                )
                .with_help(help)
        }
        (named, place) => {
            let path = named.map_or_else(|| "templates".to_string(), |(_, path)| path.clone());
            let (line, col) = place.unwrap_or((1, 1));
            Diagnostic::error(
                path,
                line,
                col,
                format!("template error: {}", chain.replace('\n', " ")),
            )
            .with_help(help)
        }
    }
}

/// Every message in an error's chain, one per line.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push('\n');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Ids of elements that pages get from the generator rather than from template text: the
/// titles of the graphs (`graph`, a wide and a narrow drawing of each), which `graph_svg`
/// puts in a page.
const GENERATED_IDS: [&str; 4] = [
    "graph-title",
    "graph-title-narrow",
    "statement-graph-title",
    "statement-graph-title-narrow",
];

/// Prefixes of ids that end in a date and a hash: update anchors (`Update::anchor`), which
/// `pledge.html` prints as `{{ update.anchor }}`.
const DATED_IDS: [&str; 1] = ["update-"];

impl Templates {
    /// The ids the pages of this theme give their own elements, which no heading in a body
    /// may take: every `id="…"` written in a template (`id="main"`), every numbered one
    /// (`id="section-{{ loop.index }}"` reserves `section-` followed by digits), the graphs'
    /// titles and update anchors. An id a template makes wholly from a variable cannot be
    /// known here, and is not reserved.
    pub fn theme_ids(&self) -> ThemeIds {
        let mut ids = ThemeIds::default();
        for text in self.texts.values() {
            for (at, _) in text.match_indices("id=") {
                let before = text[..at].chars().next_back();
                if !before.is_some_and(char::is_whitespace) {
                    continue;
                }
                let rest = &text[at + 3..];
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                    continue;
                };
                let Some(end) = rest[1..].find(quote) else {
                    continue;
                };
                let value = &rest[1..1 + end];
                match value.find("{{").into_iter().chain(value.find("{%")).min() {
                    Some(0) => {}
                    Some(variable) => {
                        ids.numbered.insert(value[..variable].to_string());
                    }
                    None if !value.is_empty() => {
                        ids.exact.insert(value.to_string());
                    }
                    None => {}
                }
            }
        }
        ids.exact.extend(GENERATED_IDS.map(String::from));
        ids.dated.extend(DATED_IDS.map(String::from));
        ids
    }

    /// Where a template writes `text`, as a path relative to the site root and a byte
    /// offset: the first template, by name, that contains it.
    pub fn find_text(&self, text: &str) -> Option<(&str, &str, usize)> {
        self.texts.iter().find_map(|(name, template)| {
            let at = template.find(text)?;
            Some((self.files.get(name)?.as_str(), template.as_str(), at))
        })
    }

    /// Does the theme (or the site) have this template?
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// The file template `name` came from, relative to the site root, for problems found
    /// while using it.
    pub fn file_of(&self, name: &str) -> String {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// A hash of every template's name and text.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Renders template `name` with `context`, or a diagnostic naming the template and the
    /// page it was rendering.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        page_url: &str,
    ) -> Result<String, Diagnostic> {
        let html = self.tera.render(name, context).map_err(|error| {
            let path = self
                .files
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string());
            let chain = error_chain(&error).replace('\n', ": ");
            Diagnostic::error(
                path,
                1,
                1,
                format!("template error while rendering {page_url}: {chain}"),
            )
            .with_help("fix the template; the README lists the variables each template receives")
        })?;
        // Tera turns a division by zero into NaN or inf instead of failing.
        if let Some(word) = ["NaN", "inf"]
            .into_iter()
            .find(|word| has_word(&html, word) && !context_has_word(context, word))
        {
            let path = self
                .files
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string());
            return Err(Diagnostic::error(
                path,
                1,
                1,
                format!(
                    "template printed `{word}` while rendering {page_url}: a division by zero or arithmetic on something that is not a number"
                ),
            )
            .with_help("check the template's arithmetic, e.g. guard a division with {% if n > 0 %}"));
        }
        Ok(html)
    }
}

/// Does `word` stand in `text` between characters that are not letters or digits?
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Does the page's own data contain `word`, so that printing it is no error?
fn context_has_word(context: &tera::Context, word: &str) -> bool {
    has_word(&context.clone().into_json().to_string(), word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_ids_of_the_shipped_themes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for theme in ["default", "plain"] {
            let ids = load_templates(root, theme).ok().unwrap().theme_ids();
            for id in ["graph-title", "statement-graph-title"] {
                assert!(ids.contains(id), "{theme}: {id}");
            }
            let update = crate::model::Update {
                date: crate::model::Date::parse("2025-04-18").unwrap(),
                status: None,
                summary: "s".into(),
                url: "https://example.org/".into(),
                title: None,
                note: None,
            };
            assert!(ids.contains(&update.anchor()), "{theme}");
            assert!(!ids.contains("update-2025-04-18"), "{theme}");
        }
        let ids = load_templates(root, "default").ok().unwrap().theme_ids();
        for id in [
            "main",
            "text-heading",
            "search",
            "site-search-input",
            "section-3",
        ] {
            assert!(ids.contains(id), "{id}");
        }
        for id in [
            "section",
            "section-",
            "section-a",
            "section-3-1",
            "p1",
            "method",
        ] {
            assert!(!ids.contains(id), "{id}");
        }
    }
}
