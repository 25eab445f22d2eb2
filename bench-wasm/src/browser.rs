//! The browser side: the workload exported to JavaScript, timed with
//! `performance.now()`. Each export resolves to one JSON line.

use std::sync::Arc;

use strata_engine::{Db, WriteBatch, WriteOptions};
use strata_storage::IdbStorage;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// The workload over a fresh `MemStorage`.
#[wasm_bindgen]
pub fn run_in_memory(ops: u32, seed: u32) -> Result<String, JsError> {
    let phases = crate::run_in_memory(u64::from(ops), u64::from(seed), &now)?;
    Ok(phases.to_json("wasm"))
}

/// The workload over `IdbStorage` (a fresh IndexedDB database named
/// `name`), and then the time until IndexedDB has committed everything:
/// one synced write after the puts, then `Db::persisted`.
#[wasm_bindgen]
pub async fn run_in_indexed_db(ops: u32, seed: u32, name: String) -> Result<String, JsError> {
    IdbStorage::delete_database(&name).await?;
    let storage = IdbStorage::open(&name).await?;
    let db = crate::open(Arc::new(storage))?;
    let phases = crate::run(&db, u64::from(ops), u64::from(seed), &now)?;
    let start = now();
    sync_log(&db)?;
    db.persisted().await?;
    let persisted_ms = now() - start;
    db.close()?;
    let line = phases.to_json("wasm-idb");
    let line = line.trim_end_matches('}');
    Ok(format!("{line},\"persisted_ms\":{persisted_ms:.3}}}"))
}

/// Makes everything written so far durable in the storage's image: an
/// empty synced batch syncs the log.
fn sync_log(db: &Db) -> strata_engine::Result<()> {
    db.write_opt(&WriteBatch::new(), WriteOptions { sync: true })
}
