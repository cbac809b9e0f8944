//! Every compile error the macros raise, each in its own minimal case with a reviewed `.stderr`.
//!
//! rustc's wording changes between releases, so the snapshots are recorded with one release
//! (1.95, the toolchain of our machines) and the test refuses to run on another rather than
//! pass or fail for the wrong reason. Re-bless with `TRYBUILD=overwrite cargo test -p ui-tests`
//! and review the `.stderr` diff as a change to what users see.

#[rustversion::stable(1.95)]
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
    cases.pass("tests/pass/*.rs");
}

#[rustversion::not(stable(1.95))]
#[test]
fn ui() {
    panic!("the ui snapshots are recorded with rustc 1.95; run this test with that toolchain");
}
