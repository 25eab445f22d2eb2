//! The probe the visualizer relies on: a lab whose code is unwritten or
//! wrong must be reported as not ready (the browser would abort on its
//! panic), and a solved lab as ready. Runs against the student files, or
//! the reference with `--features reference`.

use strata_engine::labs::Hooks;
use strata_labs::plug::Lab;
use strata_labs::probe::{probe, probe_all, workload_with, Report};

#[cfg(feature = "reference")]
#[test]
fn every_reference_lab_passes_its_probe() {
    for lab in Lab::ALL {
        assert_eq!(probe(lab), Ok(()), "{}", lab.name());
    }
}

#[cfg(not(feature = "reference"))]
#[test]
fn the_untouched_starter_is_reported_as_unwritten() {
    for lab in Lab::ALL {
        let why = probe(lab).expect_err(lab.name());
        assert!(
            why.contains("not yet implemented") && why.contains(lab.name()),
            "{}: {why}",
            lab.name()
        );
    }
}

#[test]
fn a_report_reads_back_what_it_printed() {
    let report = probe_all();
    let again = Report::parse(&report.to_text());
    for lab in Lab::ALL {
        assert_eq!(again.is_ready(lab), report.is_ready(lab), "{}", lab.name());
    }
    assert_eq!(report.labs.len(), Lab::ALL.len());
}

#[test]
fn a_report_missing_a_lab_or_garbled_counts_it_as_not_ready() {
    let report = Report::parse("bloom ok\nmerge it panicked: not yet implemented\npicking\n");
    assert!(report.is_ready(Lab::Bloom));
    assert_eq!(
        report.status(Lab::Merge),
        Err("it panicked: not yet implemented".to_string())
    );
    assert!(!report.is_ready(Lab::Picking));
    assert!(!report.is_ready(Lab::Fates));
    assert_eq!(report.ready(), vec![Lab::Bloom]);
}

/// A merge step that ignores key order: always the first live source.
fn first_live_source(keys: &[Option<&[u8]>], _forward: bool) -> Option<usize> {
    keys.iter().position(Option::is_some)
}

#[test]
fn the_probe_workload_passes_on_the_engine_and_catches_a_wrong_merge_step() {
    assert_eq!(workload_with(Hooks::default()), Ok(()));
    let broken = Hooks {
        merge_pick: Some(first_live_source),
        ..Hooks::default()
    };
    let why = workload_with(broken).expect_err("a merge step out of order must be caught");
    // The engine refuses to write a table whose keys come out of order.
    assert!(why.contains("out of order"), "{why}");
}
