//! Where everything goes: the one place that knows the site's addresses. It owns every kind
//! of page ([`PageKind`]) with its URL path, output path, template and origin, the URL of
//! every item ([`SitePaths`]), the slugs free pages may not take, and the search bundle's
//! folder. Every other module asks it, so an address is defined once.
//!
//! It reads the model and nothing else: it renders nothing, writes nothing, and knows no
//! template but by name.

use crate::diagnostic::Diagnostic;
use crate::model::{Body, EntityKind, Origin, Site};
use crate::output::FileOrigin;

/// The folder of the search bundle (index and script) in the output.
pub const SEARCH_BUNDLE: &str = "search-index";

/// The Atom feed of pledges, at the root of the output.
pub const PLEDGES_FEED: &str = "feed.xml";

/// The Atom feed of tracker updates, at the root of the output.
pub const UPDATES_FEED: &str = "updates.xml";

/// The whole site's citations as one CSL-JSON array, for reference managers.
pub const CITATIONS_JSON: &str = "api/citations.json";

/// A citation file beside a statement's, section's or pledge's page, in one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteFile {
    /// The citation as a reader reads it, in the site's one style.
    Text,
    /// A BibTeX `@misc` entry.
    Bibtex,
    /// A RIS record.
    Ris,
    /// A CSL-JSON array of one item.
    CslJson,
}

impl CiteFile {
    /// Every format, in the order pages offer them.
    pub const ALL: [CiteFile; 4] = [
        CiteFile::Bibtex,
        CiteFile::Ris,
        CiteFile::CslJson,
        CiteFile::Text,
    ];

    /// The file's name beside the page.
    pub fn file_name(self) -> &'static str {
        match self {
            CiteFile::Text => "cite.txt",
            CiteFile::Bibtex => "cite.bib",
            CiteFile::Ris => "cite.ris",
            CiteFile::CslJson => "cite.json",
        }
    }
}

/// The Atom feed beside a pledge's or entity's page: the updates of that one thread.
pub const THREAD_FEED: &str = "updates.xml";
/// The folder of the embeddable pledge cards (`/embed/<statement>/<section>/<pledge>/`).
pub const EMBED_FOLDER: &str = "embed";

/// The template of the embeddable pledge cards: a theme without it has none, and its pledge
/// pages offer no embed.
pub const EMBED_TEMPLATE: &str = "embed.html";

/// The SVG template social cards are drawn from: a theme without it has no cards.
pub const CARD_TEMPLATE: &str = "card.svg";

/// The file name of a page's social card, beside the page.
pub const CARD_FILE: &str = "card.png";

/// The file name of a pledge's oEmbed response, beside its embed page.
pub const OEMBED_FILE: &str = "oembed.json";

/// Free-page slugs that would collide with generated pages and folders.
pub const RESERVED_PAGE_SLUGS: [&str; 11] = [
    SEARCH_BUNDLE,
    EMBED_FOLDER,
    "statements",
    "topics",
    "countries",
    "programs",
    "sources",
    "api",
    "static",
    "search",
    "tracker",
];

/// The templates every theme must provide: one per kind of page but the optional ones.
pub const REQUIRED_TEMPLATES: [&str; 11] = [
    "index.html",
    "statements.html",
    "statement.html",
    "section.html",
    "pledge.html",
    "entities.html",
    "entity.html",
    "sources.html",
    "source.html",
    "page.html",
    "404.html",
];

/// Pages a theme may offer: rendered, and linked from the navigation, only if it has the
/// template. Each is its template, URL path, navigation title and kind.
pub const OPTIONAL_PAGES: [(&str, &str, &str, PageKind); 2] = [
    ("tracker.html", "/tracker/", "Tracker", PageKind::Tracker),
    ("search.html", "/search/", "Search", PageKind::Search),
];

/// An item of the site with a Markdown body of its own: the home page or one of the six
/// kinds of item that have a page each. The index is into the model's vector of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// The home page (`content/_index.md`, which may be absent).
    Home,
    /// A statement.
    Statement(usize),
    /// A section of a statement.
    Section(usize),
    /// A pledge.
    Pledge(usize),
    /// A topic, country or program.
    Entity(usize),
    /// A source document.
    Source(usize),
    /// A free page.
    Page(usize),
}

/// Every item of `site`, kind after kind (home, statements, sections, pledges, entities,
/// sources, free pages), each kind in the model's order: the one loop over the kinds of
/// item, which link targets, Markdown rendering and the placing of problems all take.
pub fn items(site: &Site) -> impl Iterator<Item = Item> + '_ {
    std::iter::once(Item::Home)
        .chain((0..site.statements.len()).map(Item::Statement))
        .chain((0..site.sections.len()).map(Item::Section))
        .chain((0..site.pledges.len()).map(Item::Pledge))
        .chain((0..site.entities.len()).map(Item::Entity))
        .chain((0..site.sources.len()).map(Item::Source))
        .chain((0..site.pages.len()).map(Item::Page))
}

impl Item {
    /// Its content file; `None` only for a home page without `content/_index.md`.
    pub fn origin(self, site: &Site) -> Option<&Origin> {
        match self {
            Item::Home => site.home.origin.as_ref(),
            Item::Statement(i) => Some(&site.statements[i].origin),
            Item::Section(i) => Some(&site.sections[i].origin),
            Item::Pledge(i) => Some(&site.pledges[i].origin),
            Item::Entity(i) => Some(&site.entities[i].origin),
            Item::Source(i) => Some(&site.sources[i].origin),
            Item::Page(i) => Some(&site.pages[i].origin),
        }
    }

    /// Its Markdown body.
    pub fn body(self, site: &Site) -> &Body {
        match self {
            Item::Home => &site.home.body,
            Item::Statement(i) => &site.statements[i].body,
            Item::Section(i) => &site.sections[i].body,
            Item::Pledge(i) => &site.pledges[i].body,
            Item::Entity(i) => &site.entities[i].body,
            Item::Source(i) => &site.sources[i].body,
            Item::Page(i) => &site.pages[i].body,
        }
    }

    /// Its page.
    pub fn page(self) -> PageKind {
        match self {
            Item::Home => PageKind::Home,
            Item::Statement(i) => PageKind::Statement(i),
            Item::Section(i) => PageKind::Section(i),
            Item::Pledge(i) => PageKind::Pledge(i),
            Item::Entity(i) => PageKind::Entity(i),
            Item::Source(i) => PageKind::Source(i),
            Item::Page(i) => PageKind::Free(i),
        }
    }

    /// The URL path of its page, without the site's prefix.
    pub fn path(self, site: &Site) -> String {
        match self {
            Item::Home => "/".to_string(),
            Item::Statement(i) => format!("/statements/{}/", site.statements[i].slug),
            Item::Section(i) => {
                let section = &site.sections[i];
                format!(
                    "{}{}/",
                    Item::Statement(section.statement).path(site),
                    section.slug
                )
            }
            Item::Pledge(i) => {
                let pledge = &site.pledges[i];
                format!(
                    "{}{}/",
                    Item::Section(pledge.section).path(site),
                    pledge.slug
                )
            }
            Item::Entity(i) => {
                let entity = &site.entities[i];
                format!("/{}/{}/", entity.kind.folder(), entity.slug)
            }
            Item::Source(i) => format!("/sources/{}/", site.sources[i].slug),
            Item::Page(i) => format!("/{}/", site.pages[i].slug),
        }
    }
}

/// The name `@/` links give an item: its file's path under `content/`, e.g.
/// `statements/us-italy-2025/_index.md`.
pub fn link_name(origin: &Origin) -> &str {
    origin.path.strip_prefix("content/").unwrap_or(&origin.path)
}

/// The URL path of each kind of item, without the site's prefix, as methods of [`Site`]
/// for the views and feeds that link to items. Each asks [`Item::path`].
pub trait SitePaths {
    /// A statement's, e.g. `/statements/us-italy-2025/`.
    fn statement_path(&self, statement: usize) -> String;
    /// A section's, under its statement's.
    fn section_path(&self, section: usize) -> String;
    /// A pledge's, under its section's.
    fn pledge_path(&self, pledge: usize) -> String;
    /// An entity's, e.g. `/programs/nato/`.
    fn entity_path(&self, entity: usize) -> String;
    /// A source's, e.g. `/sources/joint-statement/`.
    fn source_path(&self, source: usize) -> String;
    /// A free page's, e.g. `/about/`.
    fn page_path(&self, page: usize) -> String;
}

impl SitePaths for Site {
    fn statement_path(&self, statement: usize) -> String {
        Item::Statement(statement).path(self)
    }

    fn section_path(&self, section: usize) -> String {
        Item::Section(section).path(self)
    }

    fn pledge_path(&self, pledge: usize) -> String {
        Item::Pledge(pledge).path(self)
    }

    fn entity_path(&self, entity: usize) -> String {
        Item::Entity(entity).path(self)
    }

    fn source_path(&self, source: usize) -> String {
        Item::Source(source).path(self)
    }

    fn page_path(&self, page: usize) -> String {
        Item::Page(page).path(self)
    }
}

/// The items that have citation files beside their pages: every statement, section and
/// pledge, in that order.
pub fn cited_items(site: &Site) -> impl Iterator<Item = Item> + '_ {
    (0..site.statements.len())
        .map(Item::Statement)
        .chain((0..site.sections.len()).map(Item::Section))
        .chain((0..site.pledges.len()).map(Item::Pledge))
}

/// The URL path of an item's citation file in `format`, without the site's prefix:
/// `/statements/<statement>/<section>/<pledge>/cite.bib`.
pub fn citation_path(site: &Site, item: Item, format: CiteFile) -> String {
    format!("{}{}", item.path(site), format.file_name())
}

/// The items whose pages have a feed of their own: every pledge, then every topic, country
/// and program.
pub fn thread_items(site: &Site) -> impl Iterator<Item = Item> + '_ {
    (0..site.pledges.len())
        .map(Item::Pledge)
        .chain((0..site.entities.len()).map(Item::Entity))
}

/// The URL path of the Atom feed of one pledge or entity, without the site's prefix:
/// `/topics/energy/updates.xml`.
pub fn thread_feed_path(site: &Site, item: Item) -> String {
    format!("{}{THREAD_FEED}", item.path(site))
}

/// The URL path of the methodology page that `[tracker] method_page` names, without the
/// site's prefix, if that free page exists.
pub fn method_page_path(site: &Site) -> Option<String> {
    let slug = site.config.tracker.method_page.as_ref()?.get_ref();
    let page = site.pages.iter().position(|page| &page.slug == slug)?;
    Some(site.page_path(page))
}

/// A page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The home page, `/`.
    Home,
    /// The list of statements, `/statements/`.
    Statements,
    /// A statement's page.
    Statement(usize),
    /// A section's page.
    Section(usize),
    /// A pledge's page.
    Pledge(usize),
    /// The list of the entities of one kind, e.g. `/topics/`.
    Entities(EntityKind),
    /// An entity's page.
    Entity(usize),
    /// The list of sources, `/sources/`.
    Sources,
    /// A source's page.
    Source(usize),
    /// A free page's.
    Free(usize),
    /// `/404.html`.
    NotFound,
    /// The tracker, `/tracker/`, when the theme has `tracker.html`.
    Tracker,
    /// The search page, `/search/`, when the theme has `search.html`.
    Search,
    /// A pledge's embeddable card, `/embed/<statement>/<section>/<pledge>/`, when the theme
    /// has `embed.html`.
    Embed(usize),
}

impl PageKind {
    /// The item whose page this is, if any: list pages and the theme's own pages have none.
    pub fn item(self) -> Option<Item> {
        match self {
            PageKind::Home => Some(Item::Home),
            PageKind::Statement(i) => Some(Item::Statement(i)),
            PageKind::Section(i) => Some(Item::Section(i)),
            PageKind::Pledge(i) => Some(Item::Pledge(i)),
            PageKind::Entity(i) => Some(Item::Entity(i)),
            PageKind::Source(i) => Some(Item::Source(i)),
            PageKind::Free(i) => Some(Item::Page(i)),
            PageKind::Statements
            | PageKind::Entities(_)
            | PageKind::Sources
            | PageKind::NotFound
            | PageKind::Tracker
            | PageKind::Search
            | PageKind::Embed(_) => None,
        }
    }
}

/// Every page of the site, in rendering order, with the optional pages whose template
/// `has_template`.
pub fn page_kinds(site: &Site, has_template: impl Fn(&str) -> bool) -> Vec<PageKind> {
    let mut kinds = vec![
        PageKind::Home,
        PageKind::Statements,
        PageKind::Sources,
        PageKind::NotFound,
    ];
    kinds.extend(
        OPTIONAL_PAGES
            .iter()
            .filter(|(template, ..)| has_template(template))
            .map(|(.., kind)| *kind),
    );
    kinds.extend((0..site.statements.len()).map(PageKind::Statement));
    kinds.extend((0..site.sections.len()).map(PageKind::Section));
    kinds.extend((0..site.pledges.len()).map(PageKind::Pledge));
    kinds.extend(EntityKind::ALL.map(PageKind::Entities));
    kinds.extend((0..site.entities.len()).map(PageKind::Entity));
    kinds.extend((0..site.sources.len()).map(PageKind::Source));
    kinds.extend((0..site.pages.len()).map(PageKind::Free));
    if has_template(EMBED_TEMPLATE) {
        kinds.extend((0..site.pledges.len()).map(PageKind::Embed));
    }
    kinds
}

/// The pages a sitemap lists: every page but `404.html` and the optional pages.
pub fn sitemap_pages(site: &Site) -> Vec<PageKind> {
    let mut kinds = page_kinds(site, |_| false);
    kinds.retain(|kind| *kind != PageKind::NotFound);
    kinds
}

/// An error for each free page whose slug is reserved: its page would land where the site
/// already writes another.
pub fn reserved_slug_diagnostics(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|page| RESERVED_PAGE_SLUGS.contains(&page.slug.as_str()))
        .map(|page| {
            Diagnostic::error(
                &page.origin.path,
                1,
                1,
                format!(
                    "page `{}` would be written at /{}/, which the site already uses",
                    page.slug, page.slug
                ),
            )
            .with_help("rename the file")
        })
        .collect()
}

/// The URL path of the search index's folder, without the site's prefix.
pub fn search_bundle_path() -> String {
    format!("/{SEARCH_BUNDLE}/")
}

/// The URL path of a page, without the site's prefix, known before it is rendered.
pub fn page_path(site: &Site, kind: PageKind) -> String {
    if let Some(item) = kind.item() {
        return item.path(site);
    }
    match kind {
        PageKind::Statements => "/statements/".to_string(),
        PageKind::Entities(kind) => format!("/{}/", kind.folder()),
        PageKind::Sources => "/sources/".to_string(),
        PageKind::NotFound => "/404.html".to_string(),
        PageKind::Embed(p) => {
            let pledge = &site.pledges[p];
            let section = &site.sections[pledge.section];
            format!(
                "/{EMBED_FOLDER}/{}/{}/{}/",
                site.statements[section.statement].slug, section.slug, pledge.slug
            )
        }
        optional => OPTIONAL_PAGES
            .iter()
            .find(|(.., of)| *of == optional)
            .map(|(_, path, ..)| path.to_string())
            .expect("every page without an item is a list page, 404.html or optional"),
    }
}

/// The id of the tracker's list of every pledge, which its counts link to.
pub const PLEDGE_LIST_ANCHOR: &str = "pledges";

/// The keys the tracker's list is filtered by in its URL's query, which its script reads
/// and writes (`themes/default/static/tracker.js`).
pub const PLEDGE_LIST_FILTERS: [&str; 4] = ["status", "topic", "country", "program"];

/// The URL path of the tracker's list of pledges chosen by `filters` (each a key of
/// [`PLEDGE_LIST_FILTERS`] and a slug), without the site's prefix:
/// `/tracker/?status=in-progress&topic=energy#pledges`. Without its script the list shows
/// every pledge and ignores the query.
pub fn pledge_list_path(site: &Site, filters: &[(&str, &str)]) -> String {
    let query: Vec<String> = filters
        .iter()
        .map(|(key, value)| {
            debug_assert!(PLEDGE_LIST_FILTERS.contains(key));
            format!("{key}={value}")
        })
        .collect();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    format!(
        "{}{query}#{PLEDGE_LIST_ANCHOR}",
        page_path(site, PageKind::Tracker)
    )
}

/// The template a page renders with.
pub fn page_template(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "index.html",
        PageKind::Statements => "statements.html",
        PageKind::Statement(_) => "statement.html",
        PageKind::Section(_) => "section.html",
        PageKind::Pledge(_) => "pledge.html",
        PageKind::Entities(_) => "entities.html",
        PageKind::Entity(_) => "entity.html",
        PageKind::Sources => "sources.html",
        PageKind::Source(_) => "source.html",
        PageKind::Free(_) => "page.html",
        PageKind::NotFound => "404.html",
        PageKind::Tracker => "tracker.html",
        PageKind::Search => "search.html",
        PageKind::Embed(_) => EMBED_TEMPLATE,
    }
}

/// The URL path of a pledge's oEmbed response (JSON), beside its embed page, without the
/// site's prefix.
pub fn oembed_path(site: &Site, pledge: usize) -> String {
    format!("{}{OEMBED_FILE}", page_path(site, PageKind::Embed(pledge)))
}

/// The URL path of a page's social card (PNG), beside the page, without the site's prefix:
/// pledges, statements and entities have one (when the theme has `card.svg` and `site.toml`
/// does not turn cards off); other pages have none.
pub fn card_path(site: &Site, kind: PageKind) -> Option<String> {
    match kind {
        PageKind::Pledge(_) | PageKind::Statement(_) | PageKind::Entity(_) => {
            Some(format!("{}{CARD_FILE}", page_path(site, kind)))
        }
        _ => None,
    }
}

/// The pages that have a social card, in rendering order.
pub fn card_pages(site: &Site) -> impl Iterator<Item = PageKind> + '_ {
    (0..site.statements.len())
        .map(PageKind::Statement)
        .chain((0..site.pledges.len()).map(PageKind::Pledge))
        .chain((0..site.entities.len()).map(PageKind::Entity))
}

/// What produced a page, for error reports: its content file, or else its template.
pub fn page_origin(site: &Site, kind: PageKind) -> FileOrigin {
    let item = match kind {
        PageKind::Embed(p) => Some(Item::Pledge(p)),
        other => other.item(),
    };
    match item.and_then(|item| item.origin(site)) {
        Some(origin) => FileOrigin::Content(origin.path.clone()),
        None => FileOrigin::Template(page_template(kind)),
    }
}

/// The file a URL path is written to: `/a/b/` to `a/b/index.html`, `/404.html` as is.
pub fn output_path(url_path: &str) -> String {
    let mut path = String::new();
    output_path_into(url_path, &mut path);
    path
}

/// [`output_path`] into a buffer the caller reuses, for the link check of every page.
pub fn output_path_into(url_path: &str, path: &mut String) {
    let trimmed = url_path.trim_start_matches('/');
    path.clear();
    if trimmed.is_empty() {
        path.push_str("index.html");
    } else {
        path.push_str(trimmed);
        if trimmed.ends_with('/') {
            path.push_str("index.html");
        }
    }
}

/// The output path of the copy of a source's published text, beside its page, when it has
/// one.
pub fn source_copy_path(site: &Site, source: usize) -> Option<String> {
    let file = site.sources[source].file.as_ref()?;
    Some(format!(
        "{}{}",
        output_path(&site.source_path(source)).trim_end_matches("index.html"),
        file_name(file)
    ))
}

/// The last segment of a `/`-separated path.
pub fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests;
