//! The Atom feeds: every pledge, newest change first (`feed.xml`); every tracker update,
//! newest first (`updates.xml`); and one thread's updates beside each pledge's and entity's
//! page (`<page>/updates.xml`). They share one writer of heads and entries, and every date
//! comes from the content, never the clock.

use crate::escape::escape_html;
use crate::model::{Correction, Date, Site};
use crate::routes::{self, Item, PageKind, SitePaths};
use crate::templates::views::ViewContext;

pub(super) use crate::routes::{PLEDGES_FEED, UPDATES_FEED};

/// The date of a pledge's latest update, or of its statement when it has none.
pub(super) fn last_change(site: &Site, pledge: usize) -> Date {
    let item = &site.pledges[pledge];
    item.updates
        .last()
        .map_or(site.statements[item.statement].date, |update| update.date)
}

/// What an Atom feed says of itself, before its entries.
struct FeedHead<'a> {
    /// Its title, as text.
    title: String,
    /// One sentence about it, as text.
    subtitle: Option<&'a str>,
    /// The URL path of the page it follows, which is also its id.
    page: &'a str,
    /// Its own file.
    file: &'a str,
    /// The date of its newest entry.
    newest: Option<Date>,
}

/// The opening of an Atom feed, up to its first entry. A feed with no entry dates itself by
/// the first statement, or else the epoch: never by the clock.
fn feed_head(site: &Site, head: FeedHead<'_>) -> String {
    let base = escape_html(site.config.base_url());
    let FeedHead {
        title,
        subtitle,
        page,
        file,
        newest,
    } = head;
    let updated = newest
        .or_else(|| site.statements.first().map(|s| s.date))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let author = site.config.author.as_deref().unwrap_or(&site.config.title);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        escape_html(&site.config.language),
        escape_html(&title),
    );
    if let Some(subtitle) = subtitle {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape_html(subtitle)
        ));
    }
    xml.push_str(&format!(
        "  <id>{base}{page}</id>\n  <link rel=\"alternate\" href=\"{base}{page}\"/>\n  <link rel=\"self\" href=\"{base}/{file}\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape_html(author),
    ));
    if let Some(license) = &site.config.license {
        let rights = match &site.config.license_url {
            Some(url) => format!("{license} ({})", url.get_ref()),
            None => license.clone(),
        };
        xml.push_str(&format!("  <rights>{}</rights>\n", escape_html(&rights)));
    }
    xml
}

/// An Atom feed with one entry per pledge, newest change first.
pub(super) fn atom_feed(views: &ViewContext<'_>) -> String {
    let site = views.site;
    let base = site.config.base_url();
    let mut entries: Vec<(Date, usize)> = (0..site.pledges.len())
        .map(|p| (last_change(site, p), p))
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut xml = feed_head(
        site,
        FeedHead {
            title: site.config.title.clone(),
            subtitle: Some(&site.config.description),
            page: "/",
            file: PLEDGES_FEED,
            newest: entries.first().map(|(date, _)| *date),
        },
    );
    for (date, pledge_idx) in entries.into_iter().take(100) {
        let pledge = &site.pledges[pledge_idx];
        let url = format!("{base}{}", site.pledge_path(pledge_idx));
        let statement = &site.statements[pledge.statement];
        let mut summary = format!("{} — {}", pledge.status.label(), statement.title);
        if let Some(update) = pledge.updates.last() {
            summary.push_str(&format!(
                ". Latest update ({}): {}",
                update.date.display(),
                update.summary
            ));
        }
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary>{}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            escape_html(&pledge.title),
            escape_html(&url),
            escape_html(&url),
            statement.date.rfc3339(),
            date.rfc3339(),
            escape_html(&summary),
            escape_html(&views.bodies.pledges[pledge_idx].html),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// An entry of the updates feed: a tracker update or a correction, each as (date, pledge,
/// index in the pledge's updates or corrections).
enum Event {
    Update(usize, usize),
    Correction(usize, usize),
}

/// An Atom feed of tracker updates and corrections, newest first: one entry per dated event
/// (on one day, updates before corrections, each in reading order).
pub(super) fn updates_feed(views: &ViewContext<'_>) -> String {
    let site = views.site;
    let tracker = routes::page_path(site, PageKind::Tracker);
    events_feed(
        views,
        FeedHead {
            title: format!("{}: tracker updates", site.config.title),
            subtitle: None,
            page: &tracker,
            file: UPDATES_FEED,
            newest: None,
        },
        &(0..site.pledges.len()).collect::<Vec<_>>(),
    )
}

/// The Atom feed of one thread: a pledge's updates and corrections, or those of every pledge
/// an entity's page lists, newest first, as in the updates feed. A thread without any is a
/// valid feed without entries, dated as every feed is, from the content.
pub(super) fn thread_feed(views: &ViewContext<'_>, item: Item) -> String {
    let site = views.site;
    let page = item.path(site);
    let file = routes::thread_feed_path(site, item);
    let (title, mut pledges): (String, Vec<usize>) = match item {
        Item::Pledge(p) => (site.pledges[p].title.clone(), vec![p]),
        Item::Entity(e) => {
            let entity = &site.entities[e];
            (
                format!("{} ({})", entity.title, entity.kind.singular()),
                views.relations.entity_pledges[e].clone(),
            )
        }
        _ => (String::new(), Vec::new()),
    };
    pledges.sort_unstable();
    pledges.dedup();
    events_feed(
        views,
        FeedHead {
            title: format!("{}: {title}", site.config.title),
            subtitle: None,
            page: &page,
            file: file.trim_start_matches('/'),
            newest: None,
        },
        &pledges,
    )
}

/// A feed of the updates and corrections of `pledges`, newest first (on one day, updates
/// before corrections, each in reading order), under `head`, whose `newest` is that of its
/// first entry. Only these pledges' events are read, so a site's thread feeds cost in all
/// what its events number, not that times its feeds.
fn events_feed(views: &ViewContext<'_>, mut head: FeedHead<'_>, pledges: &[usize]) -> String {
    let site = views.site;
    let updates = site.updates_newest_first_of(pledges.iter().copied());
    let corrections = site.corrections_newest_first_of(pledges.iter().copied());
    let mut events: Vec<(Date, Event)> = updates
        .into_iter()
        .map(|(date, p, u)| (date, Event::Update(p, u)))
        .chain(
            corrections
                .into_iter()
                .map(|(date, p, c)| (date, Event::Correction(p, c))),
        )
        .collect();
    // Stable: each list is already in order, and corrections follow updates of their day.
    events.sort_by_key(|event| std::cmp::Reverse(event.0));
    head.newest = events.first().map(|(date, _)| *date);
    let mut xml = feed_head(site, head);
    for (_, event) in events {
        xml.push_str(&match event {
            Event::Update(p, u) => update_entry(views, p, u),
            Event::Correction(p, c) => correction_entry(views, p, c),
        });
    }
    xml.push_str("</feed>\n");
    xml
}

/// A feed's entry for a tracker update: the pledge's title with the status it sets, linking
/// to the update on the pledge's page and to the report it cites.
fn update_entry(views: &ViewContext<'_>, pledge_idx: usize, update_idx: usize) -> String {
    let site = views.site;
    let pledge = &site.pledges[pledge_idx];
    let update = &pledge.updates[update_idx];
    let url = format!("{}{}", site.config.base_url(), site.pledge_path(pledge_idx));
    let mut summary = update.summary.clone();
    if let Some(note) = &update.note {
        summary.push_str(&format!(" (Caveat: {note})"));
    }
    let status = update
        .status
        .map(|s| format!(" [{}]", s.label()))
        .unwrap_or_default();
    format!(
        "  <entry>\n    <title>{}{}</title>\n    <id>{}#{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <link rel=\"related\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
        escape_html(&pledge.title),
        escape_html(&status),
        escape_html(&url),
        update.anchor(),
        escape_html(&format!("{url}#{}", update.anchor())),
        escape_html(&update.url),
        update.date.rfc3339(),
        escape_html(&summary),
    )
}

/// The updates feed's entry for a correction: "Correction: <pledge title>", linking to the
/// correction on the pledge's page.
fn correction_entry(views: &ViewContext<'_>, pledge_idx: usize, index: usize) -> String {
    let site = views.site;
    let pledge = &site.pledges[pledge_idx];
    let correction = &pledge.corrections[index];
    let url = format!(
        "{}{}#{}",
        site.config.base_url(),
        site.pledge_path(pledge_idx),
        Correction::anchor(&pledge.corrections, index)
    );
    format!(
        "  <entry>\n    <title>Correction: {}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
        escape_html(&pledge.title),
        escape_html(&url),
        escape_html(&url),
        correction.date.rfc3339(),
        escape_html(&correction.summary),
    )
}
