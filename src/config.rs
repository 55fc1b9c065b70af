//! `site.toml`: the site's settings, read with serde.

use serde::Deserialize;
use toml::Spanned;

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
    /// The licence of the content, e.g. `CC BY 4.0`: shown in every page's footer, the feeds
    /// and the JSON data.
    #[serde(default)]
    pub license: Option<String>,
    /// Where the licence's text is published.
    #[serde(default)]
    pub license_url: Option<Spanned<String>>,
    /// The tracker's settings.
    #[serde(default)]
    pub tracker: TrackerConfig,
    /// The people or desks who review pledges, named by a pledge's `reviewed_by`.
    #[serde(default)]
    pub editors: Vec<Editor>,
    /// Draw a PNG social card for every pledge, statement and entity, when the theme has
    /// `card.svg`. Off unless `cards = true`: a card costs about 30 ms of CPU, so at 10,000
    /// pledges they would take minutes; a site turns them on when it wants them.
    #[serde(default)]
    pub cards: bool,
    /// The text of `site.toml`, kept to place diagnostics found after loading.
    #[serde(skip)]
    pub text: String,
}

/// `[tracker]` in `site.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackerConfig {
    /// `check` warns about a pledge whose `reviewed` date is older than this many days.
    #[serde(default)]
    pub review_period_days: Option<u32>,
    /// The slug of the free page explaining how pledges are tracked.
    #[serde(default)]
    pub method_page: Option<Spanned<String>>,
}

/// One `[[editors]]` entry of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editor {
    /// What a pledge's `reviewed_by` names.
    pub id: String,
    /// The name readers see.
    pub name: String,
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

    /// The editor whose id is `id`.
    pub fn editor(&self, id: &str) -> Option<&Editor> {
        self.editors.iter().find(|editor| editor.id == id)
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
        assert!(!config.cards);
        assert!(config.license.is_none());
        assert!(config.tracker.method_page.is_none());
        assert!(config.editors.is_empty());
    }

    #[test]
    fn reads_license_tracker_and_editors() {
        let config: Config = toml::from_str(
            "title = \"t\"\nbase_url = \"https://e.org\"\nlicense = \"CC BY 4.0\"\nlicense_url = \"https://creativecommons.org/licenses/by/4.0/\"\n[tracker]\nreview_period_days = 365\nmethod_page = \"method\"\n[[editors]]\nid = \"desk\"\nname = \"The desk\"\n",
        )
        .unwrap();
        assert_eq!(config.tracker.review_period_days, Some(365));
        assert_eq!(
            config.editor("desk").map(|e| e.name.as_str()),
            Some("The desk")
        );
        assert!(config.editor("nobody").is_none());
        for unknown in [
            "[tracker]\nreview_days = 3",
            "[[editors]]\nid = \"a\"\nname = \"b\"\nemail = \"c\"",
        ] {
            let text = format!("title = \"t\"\nbase_url = \"https://e.org\"\n{unknown}");
            assert!(toml::from_str::<Config>(&text).is_err(), "{unknown}");
        }
    }
}
