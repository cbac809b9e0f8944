//! Small pieces every renderer writes the same way.

use std::fmt::Write as _;

/// A `**Name:** value` line; nothing when the value is empty.
pub fn field(text: &mut String, name: &str, value: &str) {
    if !value.is_empty() {
        let _ = writeln!(text, "**{name}:** {value}");
    }
}

/// `2026-10-01` of an ISO 8601 timestamp such as `2026-10-01T09:30:00Z`.
pub fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// `text` on one line, runs of whitespace as single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `noun`, or its regular plural unless `count` is 1.
pub fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        noun.to_owned()
    } else {
        format!("{noun}s")
    }
}

/// `512 B`, `1.5 KiB`, `2.0 MiB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// `1 issue`, `3 issues`.
pub fn counted(count: u64, noun: &str) -> String {
    format!("{count} {}", plural(count, noun))
}
