//! What readers see in the browser beyond page layout: the tracker's list filtered by its
//! URL, pages with JavaScript off, and graph labels measured as laid out.

use fantoccini::Locator;

use crate::browser::{connect, connect_with, screenshot_dir, shipped_site_in_browser, wait_until};

/// The tracker's counts lead to its list of pledges, whose filters live in the URL: a
/// filtered address shows only the pledges it asks for, changing a filter changes the
/// address, and a reload or going back keeps what the address says.
#[test]
fn tracker_list_filters_live_in_the_url() {
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    runtime.block_on(async {
        let client = connect(&driver, 1280).await;
        let base = format!("http://127.0.0.1:{port}");
        // Shown rows, as `status topics` each; and the list's notice.
        let rows = "return [...document.querySelectorAll('.tracker-list li')].filter(li => !li.hidden && li.offsetParent !== null).map(li => li.dataset.status + ' ' + li.dataset.topic);";
        client.goto(&format!("{base}/tracker/")).await.unwrap();
        let all = client.execute(rows, vec![]).await.unwrap();
        let all = all.as_array().unwrap().len();
        assert_eq!(all, 16, "every pledge is listed");
        // The count of in-progress security pledges links to them.
        let href = client
            .execute("return [...document.querySelectorAll('.report-card a')].map(a => a.getAttribute('href')).find(h => h.includes('topic=security-and-defense') && h.includes('status=in-progress'));", vec![])
            .await
            .unwrap();
        let href = href.as_str().expect("a linked count").to_string();
        assert!(href.ends_with("#pledges"), "{href}");
        client.goto(&format!("{base}{href}")).await.unwrap();
        let shown = client.execute(rows, vec![]).await.unwrap();
        let shown: Vec<&str> = shown.as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        assert!(!shown.is_empty() && shown.len() < all, "{shown:?}");
        for row in &shown {
            assert!(row.starts_with("in-progress ") && row.split(' ').any(|t| t == "security-and-defense"), "{row}");
        }
        let filters_shown = client
            .execute("return !document.querySelector('form.list-filters').hidden && document.querySelector('.list-note').hidden;", vec![])
            .await
            .unwrap();
        assert_eq!(filters_shown.as_bool(), Some(true));
        // Changing a filter writes it to the URL.
        client
            .execute("const s = document.querySelector('form.list-filters select[name=status]'); s.value = 'stalled'; s.dispatchEvent(new Event('change', { bubbles: true })); return true;", vec![])
            .await
            .unwrap();
        let url = client.current_url().await.unwrap();
        assert_eq!(url.query(), Some("status=stalled&topic=security-and-defense"));
        let stalled = client.execute(rows, vec![]).await.unwrap();
        for row in stalled.as_array().unwrap() {
            assert!(row.as_str().unwrap().starts_with("stalled "), "{row}");
        }
        // A reload keeps the filter; going back restores the one before.
        client.refresh().await.unwrap();
        let status = client
            .execute("return document.querySelector('form.list-filters select[name=status]').value;", vec![])
            .await
            .unwrap();
        assert_eq!(status.as_str(), Some("stalled"));
        assert_eq!(client.execute(rows, vec![]).await.unwrap(), stalled);
        client.back().await.unwrap();
        wait_until(&client, "return document.querySelector('form.list-filters select[name=status]').value === 'in-progress';", "the filter before").await;
        let back = client.execute(rows, vec![]).await.unwrap();
        assert_eq!(back.as_array().unwrap().len(), shown.len());
        client.close().await.unwrap();
    });
}

/// With JavaScript off, the search page shows its notice where the interface would be, with
/// no blank space above it, and the tracker lists every pledge whatever its URL's query
/// asks, with the note that says so and no filters.
#[test]
fn pages_read_well_without_javascript() {
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    runtime.block_on(async {
        for width in [390u32, 1280] {
            let client = connect_with(&driver, width, false).await;
            client.goto(&format!("http://127.0.0.1:{port}/search/")).await.unwrap();
            // WebDriver runs its own scripts even where the page's may not run.
            let gap = client
                .execute("const search = document.getElementById('search'); return [search.getBoundingClientRect().height, search.children.length];", vec![])
                .await
                .unwrap();
            let gap = gap.as_array().unwrap();
            assert_eq!(gap[1].as_i64(), Some(0), "the search script ran: JavaScript is on");
            assert_eq!(gap[0].as_f64(), Some(0.0), "the empty search box takes room at {width}px");
            let png = client.screenshot().await.unwrap();
            std::fs::write(screenshot_dir().join(format!("search-nojs-{width}.png")), png).unwrap();

            client
                .goto(&format!("http://127.0.0.1:{port}/tracker/?status=stalled&topic=energy"))
                .await
                .unwrap();
            let state = client
                .execute("return [[...document.querySelectorAll('.tracker-list li')].filter(li => li.offsetParent !== null).length, document.querySelector('form.list-filters').offsetParent === null, document.querySelector('.list-note').offsetParent !== null];", vec![])
                .await
                .unwrap();
            assert_eq!(state, serde_json::json!([16, true, true]), "at {width}px");
            let list = client.find(Locator::Css("#pledges")).await.unwrap();
            let png = list.screenshot().await.unwrap();
            std::fs::write(screenshot_dir().join(format!("tracker-list-nojs-{width}.png")), png).unwrap();
            client.close().await.unwrap();
        }
    });
}

/// Every label of every graph (the statement's and each entity's) lies inside its drawing,
/// and is read at 12 px or more, on a phone and on a desktop: the drawing shown at that
/// width is measured as the browser laid it out.
#[test]
fn graph_labels_are_inside_their_drawing_and_readable_at_both_widths() {
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    runtime.block_on(async {
        let base = format!("http://127.0.0.1:{port}");
        let mut failures = Vec::new();
        for width in [390u32, 1280] {
            let client = connect(&driver, width).await;
            let mut paths = vec!["/statements/us-italy-2025/".to_string()];
            for index in ["/topics/", "/countries/", "/programs/"] {
                client.goto(&format!("{base}{index}")).await.unwrap();
                let links = client
                    .execute(&format!("return [...document.querySelectorAll('main a[href^=\"{index}\"]')].map(a => a.getAttribute('href')).filter(h => h !== '{index}');"), vec![])
                    .await
                    .unwrap();
                paths.extend(links.as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()));
            }
            assert!(paths.len() > 20, "entity pages not found: {paths:?}");
            for path in &paths {
                client.goto(&format!("{base}{path}")).await.unwrap();
                let report = client
                    .execute(
                        "const shown = [...document.querySelectorAll('svg.graph')].filter(s => getComputedStyle(s).display !== 'none');
                         if (document.querySelectorAll('svg.graph').length === 0) return [];
                         if (shown.length !== 1) return ['shows ' + shown.length + ' drawings'];
                         const svg = shown[0], box = svg.viewBox.baseVal, scale = svg.getScreenCTM().a, out = [];
                         for (const text of svg.querySelectorAll('text')) {
                           const b = text.getBBox(), px = parseFloat(getComputedStyle(text).fontSize) * scale;
                           if (b.x < 0 || b.y < 0 || b.x + b.width > box.width || b.y + b.height > box.height)
                             out.push(text.textContent + ' is cut: ' + [b.x, b.y, b.width, b.height].map(Math.round) + ' in ' + box.width + '×' + box.height);
                           if (px < 11.5) out.push(text.textContent + ' is ' + px.toFixed(1) + 'px');
                         }
                         return out;",
                        vec![],
                    )
                    .await
                    .unwrap();
                for problem in report.as_array().unwrap() {
                    failures.push(format!("{path} at {width}px: {problem}"));
                }
            }
            client.close().await.unwrap();
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}
