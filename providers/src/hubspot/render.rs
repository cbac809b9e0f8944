//! HubSpot answers as markdown for a model: a summary line first, objects titled by what people
//! call them, only the properties that say something, and how to get the next page.

use std::fmt::Write as _;

use crate::markdown::{field, one_line};

use super::types::{CrmObject, Owner, Property};

/// The most options of an enumeration property listed.
const OPTIONS_SHOWN: usize = 50;

/// What people call `object`, of type `kind` (`contacts`, `companies`…).
pub fn title(kind: &str, object: &CrmObject) -> String {
    let found = match kind {
        "contacts" => {
            let name = [object.get("firstname"), object.get("lastname")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!name.is_empty())
                .then_some(name)
                .or_else(|| object.get("email").map(str::to_owned))
        }
        "companies" => object
            .get("name")
            .or_else(|| object.get("domain"))
            .map(str::to_owned),
        "deals" => object.get("dealname").map(str::to_owned),
        "tickets" => object.get("subject").map(str::to_owned),
        // Engagements are named by their own subject, title or text.
        _ => ENGAGEMENT_TITLES
            .iter()
            .find(|(engagement, _)| *engagement == kind)
            .and_then(|(_, property)| object.get(property))
            .or_else(|| object.get("name"))
            .or_else(|| object.get("title"))
            .map(|title| shortened(&one_line(&html_to_text(title)), TITLE_LENGTH)),
    };
    found.unwrap_or_else(|| match kind {
        "contacts" => "Unnamed Contact".to_owned(),
        "companies" => "Unnamed Company".to_owned(),
        "deals" => "Unnamed Deal".to_owned(),
        _ => format!("{} #{}", singular(kind), object.id),
    })
}

/// The property that names each kind of engagement.
const ENGAGEMENT_TITLES: &[(&str, &str)] = &[
    ("tasks", "hs_task_subject"),
    ("notes", "hs_note_body"),
    ("meetings", "hs_meeting_title"),
    ("calls", "hs_call_title"),
    ("emails", "hs_email_subject"),
    ("communications", "hs_communication_body"),
];

/// The longest title taken from an engagement's text.
const TITLE_LENGTH: usize = 80;

/// `text`, cut to `limit` characters with an ellipsis.
fn shortened(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The properties of `object` worth showing: set, not HubSpot's internal `hs_*` ones, and of
/// the dates only those that mean something to people.
fn shown<'a>(kind: &str, object: &'a CrmObject) -> impl Iterator<Item = (&'a str, &'a str)> {
    let dates: &[&str] = match kind {
        "deals" => &["closedate", "createdate", "lastmodifieddate"],
        _ => &["createdate", "lastmodifieddate"],
    };
    // An engagement's or a ticket's own properties are HubSpot's (`hs_task_subject`), and
    // mean something; so do its time and a ticket's stage.
    let own = format!("hs_{}_", singular(kind).replace(' ', "_"));
    object.properties.iter().filter_map(move |(name, value)| {
        let value = value.as_deref().filter(|value| !value.trim().is_empty())?;
        let kept = name.starts_with(&own) || name == "hs_timestamp" || name == "hs_pipeline_stage";
        let internal = name.starts_with("hs_");
        let date = (name.contains("date") || name.contains("timestamp"))
            && !dates.contains(&name.as_str());
        (kept || (!internal && !date)).then_some((name.as_str(), value))
    })
}

/// A property's value on one line: HTML bodies (notes, meetings) as their text.
fn value_line(name: &str, value: &str) -> String {
    if name.ends_with("_body") {
        one_line(&html_to_text(value))
    } else {
        one_line(value)
    }
}

/// One object: `# Title (contacts 51)` and its properties.
pub fn object(kind: &str, object: &CrmObject) -> String {
    let mut text = format!("# {} ({kind} {})\n\n", title(kind, object), object.id);
    for (name, value) in shown(kind, object) {
        field(&mut text, name, &value_line(name, value));
    }
    text
}

/// A numbered list of objects with their properties (`only` those when given), and the next
/// page's cursor.
pub fn objects(
    kind: &str,
    objects: &[CrmObject],
    only: Option<&[String]>,
    after: Option<&str>,
) -> String {
    let mut text = String::new();
    for (index, object) in objects.iter().enumerate() {
        let _ = writeln!(
            text,
            "{}. {} (ID: {})",
            index + 1,
            title(kind, object),
            object.id
        );
        match only {
            Some(names) => {
                for name in names {
                    if let Some(value) = object.get(name) {
                        let _ = writeln!(text, "   - {name}: {}", value_line(name, value));
                    }
                }
            }
            None => {
                for (name, value) in shown(kind, object) {
                    let _ = writeln!(text, "   - {name}: {}", value_line(name, value));
                }
            }
        }
    }
    if let Some(after) = after {
        next_page(&mut text, "results", "after", after);
    }
    text
}

/// "More `what`: pass `parameter` = `cursor` for the next page." after the page's text.
pub fn next_page(text: &mut String, what: &str, parameter: &str, cursor: &str) {
    let _ = write!(
        text,
        "\nMore {what}: pass `{parameter}` = `{cursor}` for the next page.\n"
    );
}

/// A type's properties, with the values of enumerations.
pub fn properties(kind: &str, properties: &[&Property], creatable_only: bool) -> String {
    let which = if creatable_only { " creatable" } else { "" };
    let mut text = format!(
        "Found {}{which} properties for {kind}:\n\n",
        properties.len()
    );
    for (index, property) in properties.iter().enumerate() {
        let _ = writeln!(
            text,
            "{}. {} ({})",
            index + 1,
            property.name,
            property.label
        );
        let _ = writeln!(text, "   Type: {}", property.kind);
        if !property.description.is_empty() {
            let _ = writeln!(text, "   Description: {}", one_line(&property.description));
        }
        if !property.options.is_empty() {
            let values: Vec<String> = property
                .options
                .iter()
                .take(OPTIONS_SHOWN)
                .map(|option| format!("{} ({})", option.value, option.label))
                .collect();
            let _ = write!(text, "   Options: {}", values.join(", "));
            if property.options.len() > OPTIONS_SHOWN {
                let _ = write!(
                    text,
                    " (displaying the first {OPTIONS_SHOWN} options among {})",
                    property.options.len()
                );
            }
            text.push('\n');
        }
    }
    text
}

/// One owner.
pub fn owner(owner: &Owner) -> String {
    let mut text = format!("# Owner {}\n\n", owner.id);
    field(&mut text, "Name", &owner.name());
    field(
        &mut text,
        "Email",
        owner.email.as_deref().unwrap_or_default(),
    );
    field(
        &mut text,
        "User id",
        &owner.user_id.map(|id| id.to_string()).unwrap_or_default(),
    );
    if owner.archived {
        field(&mut text, "Archived", "yes");
    }
    text
}

/// Owners, one line each.
pub fn owners(summary: &str, owners: &[&Owner]) -> String {
    let mut text = format!("{summary}\n\n");
    for owner in owners {
        let _ = write!(text, "- **{}** (owner id {})", owner.name(), owner.id);
        if let Some(email) = &owner.email {
            let _ = write!(text, " <{email}>");
        }
        if let Some(user) = owner.user_id {
            let _ = write!(text, ", user id {user}");
        }
        if owner.archived {
            text.push_str(", archived");
        }
        text.push('\n');
    }
    text
}

/// The properties of a meeting a read shows.
pub const MEETING_PROPERTIES: &[&str] = &[
    "hs_engagement_type",
    "hs_timestamp",
    "hs_meeting_title",
    "hs_meeting_body",
    "hs_meeting_outcome",
    "hs_meeting_start_time",
    "hs_meeting_end_time",
    "hs_meeting_location",
    "hs_meeting_external_url",
    "hubspot_owner_id",
];

/// A meeting: title, when, outcome, where, link and its notes as text.
pub fn meeting(meeting: &CrmObject) -> String {
    let title = meeting
        .get("hs_meeting_title")
        .unwrap_or("Untitled meeting");
    let mut text = format!("# {title} (meeting {})\n\n", meeting.id);
    let when = match (
        meeting.get("hs_meeting_start_time"),
        meeting.get("hs_meeting_end_time"),
    ) {
        (Some(start), Some(end)) => format!("{start} – {end}"),
        (Some(start), None) => start.to_owned(),
        _ => meeting.get("hs_timestamp").unwrap_or_default().to_owned(),
    };
    field(&mut text, "When", &when);
    for (name, property) in [
        ("Outcome", "hs_meeting_outcome"),
        ("Location", "hs_meeting_location"),
        ("Link", "hs_meeting_external_url"),
        ("Owner", "hubspot_owner_id"),
    ] {
        field(&mut text, name, meeting.get(property).unwrap_or_default());
    }
    if let Some(body) = meeting.get("hs_meeting_body") {
        let _ = write!(text, "\n{}\n", html_to_text(body));
    }
    text
}

/// Meetings, one section each.
pub fn meetings(summary: &str, meetings: &[CrmObject]) -> String {
    let mut text = format!("{summary}\n");
    for one in meetings {
        text.push('\n');
        text.push_str(&meeting(one).replacen("# ", "## ", 1));
    }
    text
}

/// HTML (notes, meeting bodies) as plain text: tags dropped, breaks and paragraphs as new
/// lines, the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        if matches!(name, "br" | "p" | "div" | "li" | "tr") && !text.ends_with('\n') {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `1 contact`, `3 companies`: counted with the type's own plural.
pub fn counted_objects(count: u64, kind: &str) -> String {
    if count == 1 {
        format!("1 {}", singular(kind))
    } else {
        format!("{count} {}", kind.replace('_', " "))
    }
}

/// `contact` of `contacts`, `company` of `companies`.
pub fn singular(kind: &str) -> String {
    let kind = kind.replace('_', " ");
    if let Some(stem) = kind.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        kind.strip_suffix('s').unwrap_or(&kind).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_lines_of_text() {
        assert_eq!(
            html_to_text(
                "<p>Agenda:</p><ul><li>Pricing &amp; terms</li><li>Next&nbsp;steps</li></ul>"
            ),
            "Agenda:\nPricing & terms\nNext steps"
        );
        assert_eq!(html_to_text("plain <b>bold</b>"), "plain bold");
    }

    #[test]
    fn types_are_counted_in_their_own_words() {
        assert_eq!(counted_objects(1, "companies"), "1 company");
        assert_eq!(counted_objects(2, "line_items"), "2 line items");
        assert_eq!(
            counted_objects(1, "feedback_submissions"),
            "1 feedback submission"
        );
    }
}
