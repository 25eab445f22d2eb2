//! The visualizer's entry point: trunk builds this for the browser.

fn main() {
    #[cfg(target_arch = "wasm32")]
    strata_web::ui::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("strata-web is the browser visualizer: run ./scripts/serve.sh and open http://127.0.0.1:8080/");
}
