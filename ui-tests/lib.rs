//! Nothing here: the cases are in `tests/ui` and `tests/pass`, run by `tests/ui.rs`.
