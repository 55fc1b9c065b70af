//! The "Cite this pledge" box in the browser: with JavaScript, its copy button shows, and a
//! click copies the citation or, where the clipboard cannot be written, selects it for the
//! reader to copy, saying which in a status line; the box passes axe-core after the click
//! in light and dark at both widths. Without JavaScript the button stays hidden and the
//! citation is plain, visible text.

use fantoccini::Locator;

use crate::browser::{
    axe_script, connect, connect_with, emulate_color_scheme, screenshot_dir,
    shipped_site_in_browser, wait_until,
};

const PLEDGE: &str = "/statements/us-italy-2025/shared-prosperity/imec/";

#[test]
fn the_copy_button_copies_or_selects_the_citation_and_hides_without_javascript() {
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    let axe = axe_script();
    let url = format!("http://127.0.0.1:{port}{PLEDGE}");
    runtime.block_on(async {
        let mut failures = Vec::new();
        for width in [390u32, 1280] {
            let client = connect(&driver, width).await;
            client.goto(&url).await.unwrap();
            let button = client.find(Locator::Css(".cite-box .copy-button")).await.unwrap();
            assert!(button.is_displayed().await.unwrap(), "the button shows at {width}px");
            let text = client
                .find(Locator::Css("#cite-text"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(text.contains("Accessed ") && text.contains(PLEDGE), "{text}");
            client
                .execute("document.querySelector('.cite-box').scrollIntoView();", vec![])
                .await
                .unwrap();
            button.click().await.unwrap();
            wait_until(
                &client,
                "return document.querySelector('.copy-status').textContent.length > 0;",
                "the copy status",
            )
            .await;
            let status = client
                .execute("return document.querySelector('.copy-status').textContent;", vec![])
                .await
                .unwrap();
            let status = status.as_str().unwrap();
            if status != "Copied." {
                // The clipboard was refused: the citation is selected instead.
                assert!(status.starts_with("Selected"), "{status}");
                let selected = client
                    .execute("return window.getSelection().toString().trim();", vec![])
                    .await
                    .unwrap();
                assert_eq!(selected.as_str(), Some(text.trim()));
            }
            let png = client.screenshot().await.unwrap();
            std::fs::write(screenshot_dir().join(format!("cite-box-{width}.png")), png).unwrap();
            if let Some(axe) = &axe {
                for scheme in ["light", "dark"] {
                    emulate_color_scheme(&client, scheme).await;
                    client.execute(axe, vec![]).await.unwrap();
                    let violations = client
                        .execute_async(
                            "const done = arguments[arguments.length - 1]; axe.run(document.querySelector('.cite-box'), { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
                            vec![],
                        )
                        .await
                        .unwrap();
                    for violation in violations.as_array().into_iter().flatten() {
                        failures.push(format!("cite box at {width}px, {scheme}: {violation}"));
                    }
                }
            }
            client.close().await.unwrap();

            let client = connect_with(&driver, width, false).await;
            client.goto(&url).await.unwrap();
            let button = client.find(Locator::Css(".cite-box .copy-button")).await.unwrap();
            assert!(!button.is_displayed().await.unwrap(), "no button without JavaScript");
            let citation = client.find(Locator::Css("#cite-text")).await.unwrap();
            assert!(citation.is_displayed().await.unwrap());
            client.close().await.unwrap();
        }
        assert!(failures.is_empty(), "axe-core found:\n{}", failures.join("\n"));
    });
}
