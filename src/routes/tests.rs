//! Unit tests of the routes.
use super::*;

#[test]
fn output_paths_add_index_html_to_folders() {
    assert_eq!(output_path("/"), "index.html");
    assert_eq!(output_path("/a/b/"), "a/b/index.html");
    assert_eq!(output_path("/404.html"), "404.html");
    assert_eq!(file_name("seeds/a/b.txt"), "b.txt");
}

/// A site with no items.
fn empty_site() -> Site {
    Site {
        config: toml::from_str("title = \"T\"\nbase_url = \"https://example.org\"").unwrap(),
        home: Default::default(),
        statements: Vec::new(),
        sections: Vec::new(),
        pledges: Vec::new(),
        entities: Vec::new(),
        sources: Vec::new(),
        pages: Vec::new(),
        unparsed: Default::default(),
    }
}

#[test]
fn every_generated_folder_is_reserved_and_every_page_has_its_template() {
    let site = empty_site();
    let kinds = page_kinds(&site, |_| true);
    for kind in &kinds {
        let path = page_path(&site, *kind);
        let first = path.trim_start_matches('/').split('/').next().unwrap();
        if path.ends_with('/') && path != "/" {
            assert!(
                RESERVED_PAGE_SLUGS.contains(&first),
                "{path} is not reserved"
            );
        }
        let template = page_template(*kind);
        assert!(
            REQUIRED_TEMPLATES.contains(&template)
                || OPTIONAL_PAGES.iter().any(|(t, ..)| *t == template),
            "{template}"
        );
    }
    assert!(RESERVED_PAGE_SLUGS.contains(&SEARCH_BUNDLE));
    assert_eq!(sitemap_pages(&site).len(), kinds.len() - 3);
}
