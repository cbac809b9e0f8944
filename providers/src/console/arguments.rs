//! A call's arguments as a person reads them before approving it: one entry per argument, text
//! shown as written (a markdown body as its text, never rendered), other values as indented
//! JSON, and anything long folded under its first line so the page stays short.

use serde_json::Value;

/// Longer than this (or more than one line), a value is folded.
const SHORT: usize = 160;

/// How much of a folded value its summary shows.
const SUMMARY: usize = 80;

/// One argument.
#[derive(Debug, PartialEq, Eq)]
pub struct Argument {
    pub name: String,
    pub shown: Shown,
}

/// How a value is shown.
#[derive(Debug, PartialEq, Eq)]
pub enum Shown {
    /// Whole, inline.
    Short(String),
    /// Its start, opening onto the whole.
    Folded { summary: String, whole: String },
}

/// The arguments of a call, by name (a non-object as one `arguments`).
pub fn shown(arguments: &Value) -> Vec<Argument> {
    match arguments {
        Value::Object(fields) => fields
            .iter()
            .map(|(name, value)| Argument {
                name: name.clone(),
                shown: show(value),
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![Argument {
            name: "arguments".to_owned(),
            shown: show(other),
        }],
    }
}

fn show(value: &Value) -> Shown {
    let text = match value {
        Value::String(text) => text.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    if text.chars().count() <= SHORT && !text.contains('\n') {
        return Shown::Short(text);
    }
    let first_line = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let mut summary: String = first_line.chars().take(SUMMARY).collect();
    summary.push_str(&format!(" … ({} characters)", text.chars().count()));
    Shown::Folded {
        summary,
        whole: text,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn short_values_are_shown_whole_and_long_ones_folded_under_their_first_line() {
        let body = format!("# Release notes\n\n- {}\n", "fixed ".repeat(40));
        let shown = shown(&json!({
            "title": "Ship <it>",
            "body": body,
            "labels": ["a", "b"],
            "count": 3,
        }));
        let names: Vec<&str> = shown
            .iter()
            .map(|argument| argument.name.as_str())
            .collect();
        assert_eq!(names, ["body", "count", "labels", "title"]);
        assert_eq!(shown[3].shown, Shown::Short("Ship <it>".to_owned()));
        assert_eq!(shown[1].shown, Shown::Short("3".to_owned()));
        assert_eq!(
            shown[0].shown,
            Shown::Folded {
                summary: format!("# Release notes … ({} characters)", body.chars().count()),
                whole: body.clone(),
            }
        );
        // An array is indented JSON, on lines of its own: folded.
        let Shown::Folded { whole, .. } = &shown[2].shown else {
            panic!("{:?}", shown[2]);
        };
        assert_eq!(whole, "[\n  \"a\",\n  \"b\"\n]");
    }

    #[test]
    fn a_long_line_is_cut_on_a_character_not_a_byte() {
        let text = "é".repeat(200);
        let Shown::Folded { summary, whole } = show(&json!(text)) else {
            panic!("folded");
        };
        assert_eq!(summary, format!("{} … (200 characters)", "é".repeat(80)));
        assert_eq!(whole, text);
        assert!(shown(&Value::Null).is_empty());
    }
}
