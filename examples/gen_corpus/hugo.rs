//! The same pledges as a Hugo site, for the side-by-side benchmark.

use std::path::Path;

use anyhow::Result;

use super::pledges::Pledge;
use super::util::{Date, ensure_empty, list, q, write};
use super::words::Entity;

pub(crate) fn write_hugo(
    dir: &Path,
    ents: &[Entity],
    pages: &[(String, Date, Pledge)],
    n: usize,
) -> Result<()> {
    ensure_empty(dir)?;
    write(
        &dir.join("hugo.toml"),
        &format!(
            r#"baseURL = "https://bench.example.org/"
title = "Synthetic tracker ({n} pledges)"
languageCode = "en"
disableKinds = []

[taxonomies]
  topic = "topics"
  country = "countries"
  program = "programs"

# Comparable outputs: one Atom/RSS feed (at most 100 entries) and a sitemap, like communique.
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[services.rss]
  limit = 100

[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "programs"
    weight = 3
  [[related.indices]]
    name = "countries"
    weight = 2
  [[related.indices]]
    name = "topics"
    weight = 1
"#
        ),
    )?;
    let layouts = dir.join("layouts/_default");
    write(
        &layouts.join("baseof.html"),
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ "/" | relURL }}">Home</a> <a href="{{ "/pledges/" | relURL }}">Pledges</a> <a href="{{ "/topics/" | relURL }}">Topics</a> <a href="{{ "/countries/" | relURL }}">Countries</a> <a href="{{ "/programs/" | relURL }}">Programs</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#,
    )?;
    write(
        &layouts.join("single.html"),
        r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
{{ range $taxonomy, $_ := .Site.Taxonomies }}{{ with $.GetTerms $taxonomy }}
<h2>{{ $taxonomy | title }}</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}{{ end }}
{{ with .Site.RegularPages.Related . | first 5 }}
<h2>Related</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
</article>
{{ end }}
"#,
    )?;
    write(
        &layouts.join("list.html"),
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}
"#,
    )?;
    write(
        &layouts.join("terms.html"),
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"#,
    )?;
    write(
        &dir.join("content/_index.md"),
        "---\ntitle: \"Synthetic tracker\"\n---\nA generated site: every pledge, who promised it, and what happened since.\n",
    )?;
    write(
        &dir.join("content/pledges/_index.md"),
        "---\ntitle: \"Pledges\"\n---\n",
    )?;
    for e in ents {
        let folder = match e.kind {
            "topic" => "topics",
            "country" => "countries",
            _ => "programs",
        };
        write(
            &dir.join("content")
                .join(folder)
                .join(&e.slug)
                .join("_index.md"),
            &format!("---\ntitle: {}\n---\n", q(&e.title)),
        )?;
    }
    for (name, date, p) in pages {
        let slugs = |v: &[usize]| list(v.iter().map(|&i| ents[i].slug.clone()));
        let last = p.updates.last().map_or(*date, |u| u.0);
        write(
            &dir.join("content/pledges").join(format!("{name}.md")),
            &format!(
                "---\ntitle: {}\ndate: {last}\ntopics: {}\ncountries: {}\nprograms: {}\nstatus: {}\n---\n\n{}",
                q(&p.title),
                slugs(&p.topics),
                slugs(&p.countries),
                slugs(&p.programs),
                p.status,
                p.body
            ),
        )?;
    }
    Ok(())
}
