//! The visualizer's page: `index.html` loading the wasm-bindgen glue, and
//! the app's stylesheet. The root `index.html` stays trunk's (for
//! `trunk serve` with live reload while developing); this page is the one
//! the site ships, with no dev-server code in it.

use std::path::Path;

use anyhow::{Context, Result};

use crate::bindgen::{STEM, WASM_FILE};
use crate::output;

/// The app's stylesheet in the repository, copied as `style.css`.
const STYLE: &str = "web/style.css";

/// Writes `index.html` and `style.css` into `out`.
pub fn write(root: &Path, out: &Path) -> Result<()> {
    let style_path = root.join(STYLE);
    let style = std::fs::read(&style_path)
        .with_context(|| format!("could not read {}", style_path.display()))?;
    output::write(out, "style.css", style)?;
    output::write(out, "index.html", page())
}

/// The page. When opened from a local folder (`file:`), where browsers
/// refuse to load the module, the loading line says how to serve it.
pub fn page() -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Strata — watch an LSM-tree work</title>
  <meta name="description" content="The Strata LSM-tree engine, compiled to WebAssembly, animated one event at a time.">
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="style.css">
</head>
<body>
  <div id="app">
    <noscript>
      <p>The Strata visualizer runs the engine as WebAssembly: it needs JavaScript.
      The chapters also exist as plain pages: <a href="book/index.html">read them here</a>.</p>
    </noscript>
    <p class="loading">Loading the engine…</p>
  </div>
  <script>
    if (location.protocol === "file:") {{
      document.querySelector("#app .loading").innerHTML =
        "Browsers do not run WebAssembly from a local folder. In this folder run " +
        "<code>python3 -m http.server 8000 --bind 127.0.0.1</code> and open " +
        "<a href=\"http://127.0.0.1:8000/\">http://127.0.0.1:8000/</a> " +
        "(see README.txt). The chapters open without a server: " +
        "<a href=\"book/index.html\">book/index.html</a>.";
    }}
  </script>
  <script type="module">
    import init, * as bindings from "./{STEM}.js";
    // The app's exported functions, under the name trunk gives them.
    window.wasmBindings = bindings;
    init({{ module_or_path: new URL("{WASM_FILE}", import.meta.url) }});
  </script>
</body>
</html>
"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_in_the_page_is_relative() {
        let page = page();
        for attribute in ["href=\"", "src=\"", "from \""] {
            for (i, _) in page.match_indices(attribute) {
                let rest = page.get(i + attribute.len()..).unwrap_or_default();
                assert!(
                    !rest.starts_with('/') && !rest.starts_with("http"),
                    "absolute URL after {attribute}: {}",
                    rest.get(..40).unwrap_or(rest)
                );
            }
        }
        assert!(page.contains("import init, * as bindings from \"./strata-web.js\""));
    }

    #[test]
    fn the_page_has_no_dev_server_code() {
        let page = page().to_lowercase();
        assert!(!page.contains("websocket"));
        assert!(!page.contains("reload"));
    }
}
