//! `site.toml`: the site's settings, read with serde.

use serde::Deserialize;

/// The settings in `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page's header and title.
    pub title: String,
    /// Where the site is deployed, e.g. `https://example.org` or `https://example.org/pledges`.
    pub base_url: String,
    /// One sentence about the site, for search engines and the feed.
    #[serde(default)]
    pub description: String,
    /// The language of the content, as a BCP 47 tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// The folder under `themes/` whose templates and static files render the site.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Let raw HTML in Markdown through; by default it is shown as text.
    #[serde(default)]
    pub allow_html: bool,
    /// Who publishes the site: named in the feed and the footer.
    #[serde(default)]
    pub author: Option<String>,
}

fn default_language() -> String {
    "en".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

impl Config {
    /// The base URL without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of the base URL without a trailing slash (`""` at a domain's root),
    /// put before every internal link so the site works under a sub-path too.
    pub fn path_prefix(&self) -> &str {
        let base = self.base_url();
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        base[after_scheme..]
            .find('/')
            .map_or("", |i| &base[after_scheme + i..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        toml::from_str(&format!("title = \"t\"\nbase_url = \"{base_url}\"")).unwrap()
    }

    #[test]
    fn path_prefix_follows_base_url() {
        assert_eq!(config("https://example.org").path_prefix(), "");
        assert_eq!(config("https://example.org/").path_prefix(), "");
        assert_eq!(config("https://example.org/a/b/").path_prefix(), "/a/b");
        assert_eq!(config("/").path_prefix(), "");
    }

    #[test]
    fn defaults_apply() {
        let config = config("https://example.org");
        assert_eq!(config.theme, "default");
        assert_eq!(config.language, "en");
        assert!(!config.allow_html);
    }
}
