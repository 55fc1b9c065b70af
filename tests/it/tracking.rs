//! The tracker's honesty checks and what they feed: statuses checked against the updates
//! that set them, reviews against `review_period_days` and `--today`, a pledge's own
//! parties and reviewer, the methodology page, corrections in the page, feed, JSON and
//! tracker, month dates, sources without a link, and the licence.

use crate::support::Site;

const FAIR_TRADE: &str = "content/statements/g7-2030/trade/fair-trade.md";
const CUT_EMISSIONS: &str = "content/statements/g7-2030/climate/cut-emissions.md";

/// `check` on `site` with a fixed day, which must succeed; returns stderr.
fn warnings(site: &Site, today: &str) -> String {
    let run = site.run(&["check", "--today", today]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

/// `check` on `site`, which must fail; returns stderr.
fn errors(site: &Site) -> String {
    let run = site.run(&["check", "--today", "2031-01-01"]);
    assert_eq!(run.code, 1, "check passed:\n{}", run.stderr);
    run.stderr
}

#[test]
fn a_status_its_latest_update_contradicts_is_warned_at_the_status_key() {
    let site = Site::fixture("minimal");
    site.edit(
        CUT_EMISSIONS,
        "status = \"in-progress\"\n",
        "status = \"fulfilled\"\n",
    );
    let stderr = warnings(&site, "2031-01-01");
    assert!(
        stderr.contains(&format!("{CUT_EMISSIONS}:5:10: warning: status is `fulfilled`, but the latest update that sets one (2030-09-01) sets `in-progress`")),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: set status = \"in-progress\", or add a dated [[updates]] entry with status = \"fulfilled\""),
        "{stderr}"
    );
    assert!(stderr.ends_with("0 error(s), 1 warning(s)\n"), "{stderr}");
    // `build` prints the same warning and still builds.
    let run = site.run(&["build", "--today", "2031-01-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: status is `fulfilled`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_status_no_update_supports_is_warned_and_announced_needs_none() {
    let site = Site::fixture("minimal");
    // Drop the update that sets the status: nothing supports "stalled" any more.
    site.edit(FAIR_TRADE, "status = \"stalled\"\nsummary", "summary");
    let stderr = warnings(&site, "2031-01-01");
    assert!(
        stderr.contains(&format!("{FAIR_TRADE}:4:10: warning: status is `stalled`, but no update sets a status, so nothing supports it")),
        "{stderr}"
    );
    // A pledge without any status key is "announced", which needs no support; a later
    // update that sets another status is then a contradiction, placed on line 1.
    site.edit(FAIR_TRADE, "status = \"stalled\"\n", "");
    assert_eq!(warnings(&site, "2031-01-01"), "0 error(s), 0 warning(s)\n");
    site.edit(FAIR_TRADE, "summary", "status = \"stalled\"\nsummary");
    let stderr = warnings(&site, "2031-01-01");
    assert!(
        stderr.contains(&format!("{FAIR_TRADE}:1:1: warning: status is `announced`, but the latest update that sets one (2030-10) sets `stalled`")),
        "{stderr}"
    );
}

#[test]
fn reviews_are_warned_after_the_review_period_counted_from_today() {
    let site = Site::fixture("minimal");
    // Without a review period nothing is said about reviews.
    assert_eq!(warnings(&site, "2040-01-01"), "0 error(s), 0 warning(s)\n");

    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[tracker]\nreview_period_days = 30\n"),
    );
    site.edit(
        CUT_EMISSIONS,
        "status_reason",
        "reviewed = 2030-12-01\nstatus_reason",
    );
    site.edit(
        FAIR_TRADE,
        "status = \"stalled\"\n",
        "status = \"stalled\"\nreviewed = 2030-12-20\n",
    );
    site.edit(
        "content/statements/g7-2030/climate/fund-corridor.md",
        "weight = 2\n",
        "weight = 2\nreviewed = 2030-12-25\n",
    );
    // 31 days after 2030-12-01 is over the period; 30 days is not.
    let stderr = warnings(&site, "2031-01-01");
    assert!(
        stderr.contains(&format!("{CUT_EMISSIONS}:6:12: warning: pledge was last reviewed on 2030-12-01, 31 days before 2031-01-01; site.toml's review_period_days is 30")),
        "{stderr}"
    );
    assert!(
        stderr.contains("then set reviewed = 2031-01-01"),
        "{stderr}"
    );
    assert!(stderr.ends_with("0 error(s), 1 warning(s)\n"), "{stderr}");
    assert_eq!(warnings(&site, "2030-12-31"), "0 error(s), 0 warning(s)\n");

    // A pledge never reviewed is warned about once a period is set.
    site.edit(FAIR_TRADE, "reviewed = 2030-12-20\n", "");
    let stderr = warnings(&site, "2030-12-31");
    assert!(
        stderr.contains(&format!("{FAIR_TRADE}:4:10: warning: pledge has never been reviewed, and site.toml's review_period_days is 30")),
        "{stderr}"
    );
}

#[test]
fn today_must_be_a_calendar_date_and_never_reaches_the_output() {
    let site = Site::fixture("minimal");
    let run = site.run(&["check", "--today", "2031-02-30"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is not a calendar date; write it as YYYY-MM-DD"),
        "{}",
        run.stderr
    );

    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[tracker]\nreview_period_days = 1\n"),
    );
    site.run(&["build", "--today", "2031-01-01"]);
    let first = crate::support::tree(&site.public());
    site.run(&["build", "--today", "2045-06-07"]);
    assert_eq!(first, crate::support::tree(&site.public()));
    assert!(
        first
            .values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("2045")),
        "the day of the build reached the output"
    );
}

#[test]
fn parties_reviewers_and_the_method_page_are_checked() {
    let site = Site::fixture("minimal");
    site.edit(
        FAIR_TRADE,
        "topics = [\"trade\"]\n",
        "topics = [\"trade\"]\nparties = [\"canada\", \"japn\"]\nreviewed_by = \"desk\"\n",
    );
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}\n[tracker]\nmethod_page = \"methd\"\n[[editors]]\nid = \"desks\"\nname = \"The desk\"\n"),
    );
    let stderr = errors(&site);
    assert!(
        stderr.contains(&format!(
            "{FAIR_TRADE}:4:22: error: `japn` is not a party to the statement `g7-2030`"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `japan`? a pledge's parties are some of its statement's (`canada`, `japan`)"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{FAIR_TRADE}:5:15: error: `reviewed_by` without `reviewed`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{FAIR_TRADE}:5:15: error: `desk` is not an editor named in site.toml"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `desks`?"), "{stderr}");
    assert!(
        stderr.contains("site.toml:6:15: error: method_page `methd` is not a free page"),
        "{stderr}"
    );

    // Unknown keys stay errors in the new tables.
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}\n[tracker]\nreview_days = 3\n"));
    let stderr = errors(&site);
    assert!(
        stderr.contains("site.toml:6:1: error: invalid site.toml: unknown field `review_days`"),
        "{stderr}"
    );
}

#[test]
fn bad_month_dates_and_incomplete_corrections_are_errors() {
    let site = Site::fixture("minimal");
    site.edit(FAIR_TRADE, "date = \"2030-10\"", "date = \"2030-1\"");
    site.edit(
        CUT_EMISSIONS,
        "[[coverage]]",
        "[[corrections]]\ndate = 2030-10-01\n\n[[coverage]]",
    );
    let stderr = errors(&site);
    assert!(
        stderr.contains(&format!("{FAIR_TRADE}:7:8: error: invalid front matter: `2030-1` is neither a calendar date like 2025-04-18 nor a month like \"2025-08\"")),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: write a day as 2025-04-18, or a month as \"2025-08\""),
        "{stderr}"
    );
    assert!(stderr.contains("missing field `summary`"), "{stderr}");
}

#[test]
fn history_reviews_corrections_parties_and_licence_reach_pages_feeds_and_data() {
    let site = Site::fixture("minimal");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        format!("{toml}license = \"CC BY 4.0\"\nlicense_url = \"https://creativecommons.org/licenses/by/4.0/\"\n\n[tracker]\nmethod_page = \"about\"\n\n[[editors]]\nid = \"desk\"\nname = \"The fixture desk\"\n"),
    );
    site.edit(
        FAIR_TRADE,
        "status = \"stalled\"\n",
        "status = \"stalled\"\nparties = [\"japan\"]\nreviewed = 2030-11-02\nreviewed_by = \"desk\"\n",
    );
    site.edit(
        FAIR_TRADE,
        "[[coverage]]",
        "[[updates]]\ndate = 2030-10-15\nstatus = \"stalled\"\nsummary = \"Still suspended.\"\nurl = \"https://example.org/still\"\n\n[[corrections]]\ndate = 2030-11-01\nsummary = \"The first update was misdated.\"\n\n[[corrections]]\ndate = 2030-11-01\nsummary = \"A second fix that day.\"\n\n[[coverage]]",
    );
    site.run(&["build", "--today", "2031-01-01"]);
    let page = site.read("public/statements/g7-2030/trade/fair-trade/index.html");
    // Since the first of the latest run of "stalled", a month, linked to its update.
    assert!(
        page.contains("since <a href=\"#update-2030-10-542041\"><time datetime=\"2030-10\">October 2030</time></a>"),
        "{page}"
    );
    assert!(
        page.contains("<h3 id=\"history-heading\">Status history</h3>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"confirmed\">confirmed</span>"),
        "{page}"
    );
    assert!(
        page.contains("Last reviewed <time datetime=\"2030-11-02\">2 November 2030</time> by The fixture desk."),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/about/\">How we track pledges</a>"),
        "{page}"
    );
    assert!(
        page.contains("<li id=\"correction-2030-11-01-1\">"),
        "{page}"
    );
    assert!(
        page.contains("<li id=\"correction-2030-11-01-2\">"),
        "{page}"
    );
    assert!(
        page.contains("<h3>Correction, <time datetime=\"2030-11-01\">1 November 2030</time></h3>"),
        "{page}"
    );
    // Promised by: the pledge's own party only.
    let promised = page
        .split("<dt>Promised by</dt>")
        .nth(1)
        .unwrap()
        .split("</dd>")
        .next()
        .unwrap();
    assert!(
        promised.contains("/countries/japan/") && !promised.contains("/countries/canada/"),
        "{promised}"
    );
    assert!(page.contains("Content licensed under <a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>."), "{page}");

    // A pledge without corrections shows no empty heading.
    let other = site.read("public/statements/g7-2030/climate/cut-emissions/index.html");
    assert!(!other.contains("corrections-heading"), "{other}");

    let feed = site.read("public/updates.xml");
    assert!(
        feed.contains("<rights>CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)</rights>"),
        "{feed}"
    );
    assert!(site.read("public/feed.xml").contains("<rights>CC BY 4.0"));
    let correction = "<title>Correction: Keep trade &quot;fair &amp; open&quot;</title>\n    <id>https://fixture.example/statements/g7-2030/trade/fair-trade/#correction-2030-11-01-1</id>";
    assert!(feed.contains(correction), "{feed}");
    assert!(
        feed.contains("<summary>The first update was misdated.</summary>"),
        "{feed}"
    );
    // Newest first: the corrections of November, then the update of 15 October, then the
    // month-dated one, dated the first of October.
    let at = |needle: &str| {
        feed.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {feed}"))
    };
    assert!(at("correction-2030-11-01-1") < at("correction-2030-11-01-2"));
    assert!(at("correction-2030-11-01-2") < at("<updated>2030-10-15T00:00:00Z</updated>"));
    assert!(
        at("<updated>2030-10-15T00:00:00Z</updated>")
            < at("<updated>2030-10-01T00:00:00Z</updated>")
    );
    assert!(
        feed.contains("<updated>2030-11-01T00:00:00Z</updated>\n  <author>"),
        "{feed}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/api/pledges.json")).unwrap();
    assert_eq!(json["license"]["name"], "CC BY 4.0");
    let pledge = &json["pledges"][2];
    assert_eq!(pledge["parties"], serde_json::json!(["japan"]));
    assert_eq!(pledge["reviewed"], "2030-11-02");
    assert_eq!(pledge["reviewed_by"], "desk");
    assert_eq!(pledge["status_since"], "2030-10");
    assert_eq!(pledge["history"][1]["date"], "2030-10-15");
    assert_eq!(
        pledge["corrections"][1]["anchor"],
        "correction-2030-11-01-2"
    );
    assert_eq!(
        pledge["corrections"][0]["url"],
        "https://fixture.example/statements/g7-2030/trade/fair-trade/#correction-2030-11-01-1"
    );
    let entities: serde_json::Value =
        serde_json::from_str(&site.read("public/api/entities.json")).unwrap();
    assert_eq!(
        entities["license"]["url"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    // Canada, named in the text but no longer a party to it, is "also named".
    assert_eq!(pledge["mentioned"][0]["slug"], "canada");
    assert!(page.contains("<dt>Also named</dt>"), "{page}");

    let tracker = site.read("public/tracker/index.html");
    assert!(
        tracker.contains("<h2 id=\"corrections-heading\">Corrections, newest first</h2>"),
        "{tracker}"
    );
    assert!(
        tracker.contains("<a href=\"/statements/g7-2030/trade/fair-trade/#correction-2030-11-01-1\">Correction: Keep trade"),
        "{tracker}"
    );
    assert!(
        tracker.contains("<a href=\"/about/\">How we track pledges</a>"),
        "{tracker}"
    );
    assert!(
        tracker.contains("<time datetime=\"2030-10\">October 2030</time>"),
        "{tracker}"
    );
}

#[test]
fn without_corrections_or_licence_nothing_is_printed() {
    let site = Site::fixture("minimal");
    site.build();
    let tracker = site.read("public/tracker/index.html");
    assert!(!tracker.contains("corrections-heading"), "{tracker}");
    assert!(!tracker.contains("How we track pledges"), "{tracker}");
    assert!(!site.read("public/index.html").contains("licensed under"));
    assert!(!site.read("public/updates.xml").contains("<rights>"));
    assert!(!site.read("public/api/pledges.json").contains("\"license\""));
}

#[test]
fn a_source_without_a_url_says_why_or_is_warned_about() {
    let site = Site::fixture("minimal");
    site.build();
    let pledge = site.read("public/statements/g7-2030/climate/cut-emissions/index.html");
    assert!(
        pledge.contains("<span class=\"no-url\">(no link: the fixture&#39;s communiqué was never published online)</span>"),
        "{pledge}"
    );
    site.edit(
        "content/sources/g7-text.md",
        "no_url = \"the fixture's communiqué was never published online\"\n",
        "",
    );
    let stderr = warnings(&site, "2031-01-01");
    assert!(
        stderr.contains("content/sources/g7-text.md:1:1: warning: source has no `url`, and no `no_url` saying why"),
        "{stderr}"
    );
}
