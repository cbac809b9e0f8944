//! Jira answers as markdown for a model: `# KEY: summary`, `**Field:** value` lines in priority
//! order, rich text from ADF as markdown, comments as sections, and how to get the next page.

use std::fmt::Write as _;

use crate::markdown::{counted, day, field, size};

use serde_json::Value;

use super::adf;
use super::types::{
    Attachment, CreateField, Field, Issue, IssueLink, IssueType, LinkType, Named, Person, Project,
    ProjectPage, SearchPage, Timestamp, Transition, User, Version,
};

/// The fields every issue read asks for; the renderer knows how to show each.
pub const ISSUE_FIELDS: &[&str] = &[
    "summary",
    "issuetype",
    "status",
    "priority",
    "assignee",
    "reporter",
    "project",
    "parent",
    "labels",
    "created",
    "updated",
    "issuelinks",
    "description",
    "comment",
];

/// The fields a search shows per issue.
pub const LIST_FIELDS: &[&str] = &[
    "summary",
    "issuetype",
    "status",
    "priority",
    "assignee",
    "updated",
];

pub fn issue(issue: &Issue, extra_fields: &[String]) -> String {
    let fields = &issue.fields;
    let mut text = format!(
        "# {}: {}\n\n",
        issue.key,
        fields.summary.as_deref().unwrap_or_default()
    );
    field(&mut text, "Type", named(fields.issuetype.as_ref()));
    field(&mut text, "Status", named(fields.status.as_ref()));
    field(&mut text, "Priority", named(fields.priority.as_ref()));
    field(&mut text, "Assignee", person(fields.assignee.as_ref()));
    field(&mut text, "Reporter", person(fields.reporter.as_ref()));
    if let Some(project) = &fields.project {
        field(
            &mut text,
            "Project",
            &format!("{} ({})", project.key, project.name),
        );
    }
    if let Some(parent) = &fields.parent {
        field(&mut text, "Parent", &parent.key);
    }
    field(
        &mut text,
        "Labels",
        &fields.labels.as_deref().unwrap_or_default().join(", "),
    );
    field(
        &mut text,
        "Created",
        day(&timestamp(fields.created.as_ref())),
    );
    field(
        &mut text,
        "Updated",
        day(&timestamp(fields.updated.as_ref())),
    );
    field(
        &mut text,
        "Links",
        &links(fields.issuelinks.as_deref().unwrap_or_default()),
    );
    for id in extra_fields {
        if let Some(value) = fields.other.get(id) {
            field(&mut text, id, &shown(Some(value)));
        }
    }
    match fields.description.as_ref().map(adf::to_markdown) {
        Some(description) if !description.is_empty() => {
            let _ = write!(text, "\n{description}\n");
        }
        _ => text.push_str("\n(No description.)\n"),
    }
    let comments = fields
        .comment
        .as_ref()
        .map(|comment| comment.comments.as_slice())
        .unwrap_or_default();
    if !comments.is_empty() {
        let _ = write!(text, "\n## Comments ({})\n", comments.len());
        for comment in comments {
            let _ = write!(
                text,
                "\n### {} on {}\n\n{}\n",
                person(comment.author.as_ref()),
                day(&timestamp(comment.created.as_ref())),
                comment
                    .body
                    .as_ref()
                    .map(adf::to_markdown)
                    .unwrap_or_default()
            );
        }
    }
    text
}

pub fn search(page: &SearchPage, jql: &str) -> String {
    let mut text = format!(
        "{} for `{jql}`{}.\n\n",
        counted(page.issues.len() as u64, "issue"),
        if page.next_page_token.is_some() {
            " on this page"
        } else {
            ""
        }
    );
    for issue in &page.issues {
        let fields = &issue.fields;
        let _ = writeln!(
            text,
            "- **{}** {} [{} · {} · {}] assignee {}, updated {}",
            issue.key,
            fields.summary.as_deref().unwrap_or_default(),
            named(fields.issuetype.as_ref()),
            named(fields.status.as_ref()),
            named(fields.priority.as_ref()),
            or_none(person(fields.assignee.as_ref())),
            day(&timestamp(fields.updated.as_ref())),
        );
    }
    if let Some(token) = &page.next_page_token {
        let _ = write!(
            text,
            "\nMore on the next page: call again with `nextPageToken: \"{token}\"`.\n"
        );
    }
    text
}

pub fn read_fields(fields: &[Field]) -> String {
    let mut sorted: Vec<&Field> = fields.iter().collect();
    sorted.sort_by_key(|field| (field.custom, field.name.to_lowercase()));
    let mut text = format!(
        "{} fields; pass custom ones by id to `get_issue` or `get_issues_using_jql`.\n\n",
        fields.len()
    );
    for field in sorted {
        let kind = field
            .schema
            .as_ref()
            .map(|schema| match &schema.items {
                Some(items) => format!("{} of {items}", schema.kind),
                None => schema.kind.clone(),
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let _ = writeln!(
            text,
            "- **{}** `{}` ({kind}{})",
            field.name,
            field.id,
            if field.custom { ", custom" } else { "" }
        );
    }
    text
}

pub fn projects(page: &ProjectPage, start_at: u32) -> String {
    let total = page
        .total
        .map_or(String::new(), |total| format!(" of {total}"));
    let mut text = format!(
        "{}{total}.\n\n",
        counted(page.values.len() as u64, "project")
    );
    for project in &page.values {
        let _ = writeln!(
            text,
            "- **{}** {} ({}, id {})",
            project.key,
            project.name,
            project
                .project_type_key
                .as_deref()
                .unwrap_or("unknown type"),
            project.id
        );
    }
    if !page.is_last {
        let next = start_at as usize + page.values.len();
        let _ = write!(
            text,
            "\nMore on the next page: call again with `startAt: {next}`.\n"
        );
    }
    text
}

pub fn project(project: &Project) -> String {
    let mut text = format!("# {}: {}\n\n", project.key, project.name);
    field(&mut text, "Id", &project.id);
    field(
        &mut text,
        "Type",
        project.project_type_key.as_deref().unwrap_or_default(),
    );
    field(
        &mut text,
        "Lead",
        &project
            .lead
            .as_ref()
            .map_or(String::new(), |lead| lead.display_name.clone()),
    );
    let types: Vec<String> = project
        .issue_types
        .iter()
        .map(|issue_type| format!("{} ({})", issue_type.name, issue_type.id))
        .collect();
    field(&mut text, "Issue types", &types.join(", "));
    if let Some(description) = project
        .description
        .as_deref()
        .filter(|description| !description.is_empty())
    {
        let _ = write!(text, "\n{description}\n");
    }
    text
}

pub fn versions(project_key: &str, versions: &[Version]) -> String {
    let mut text = format!(
        "{} of {project_key}.\n\n",
        counted(versions.len() as u64, "version")
    );
    for version in versions {
        let state = match (version.released, version.archived) {
            (_, true) => "archived",
            (true, _) => "released",
            _ => "unreleased",
        };
        let date = version
            .release_date
            .as_deref()
            .map_or(String::new(), |date| format!(", release date {date}"));
        let _ = writeln!(
            text,
            "- **{}** (id {}, {state}{date})",
            version.name, version.id
        );
    }
    text
}

pub fn transitions(issue_key: &str, transitions: &[Transition]) -> String {
    let mut text = format!(
        "{issue_key} can take {} now.\n\n",
        counted(transitions.len() as u64, "transition")
    );
    for transition in transitions {
        let _ = writeln!(
            text,
            "- **{}** (id {}) → {}",
            transition.name, transition.id, transition.to.name
        );
    }
    text
}

pub fn issue_types(project_key: &str, types: &[IssueType]) -> String {
    let mut text = format!(
        "{} in {project_key}.\n\n",
        counted(types.len() as u64, "issue type")
    );
    for issue_type in types {
        let _ = writeln!(
            text,
            "- **{}** (id {}){}",
            issue_type.name,
            issue_type.id,
            if issue_type.subtask {
                ", a sub-task type"
            } else {
                ""
            }
        );
    }
    text
}

pub fn create_fields(fields: &[CreateField]) -> String {
    let mut text = format!(
        "{} fields on the create screen; required ones first.\n\n",
        fields.len()
    );
    let mut sorted: Vec<&CreateField> = fields.iter().collect();
    sorted.sort_by_key(|field| !field.required);
    for field in sorted {
        let kind = field
            .schema
            .as_ref()
            .map_or("unknown", |schema| schema.kind.as_str());
        let _ = write!(
            text,
            "- **{}** `{}` ({kind}{})",
            field.name,
            field.field_id,
            if field.required { ", required" } else { "" }
        );
        if let Some(allowed) = field
            .allowed_values
            .as_ref()
            .filter(|allowed| !allowed.is_empty())
        {
            let values: Vec<String> = allowed
                .iter()
                .take(20)
                .map(|value| shown(Some(value)))
                .collect();
            let more = if allowed.len() > 20 { ", …" } else { "" };
            let _ = write!(text, ": {}{more}", values.join(", "));
        }
        text.push('\n');
    }
    text
}

pub fn link_types(types: &[LinkType]) -> String {
    let mut text = format!("{} issue link types.\n\n", types.len());
    for link_type in types {
        let _ = writeln!(
            text,
            "- **{}** (id {}): outward \"{}\", inward \"{}\"",
            link_type.name, link_type.id, link_type.outward, link_type.inward
        );
    }
    text
}

pub fn users(users: &[User], start_at: u32, more: bool) -> String {
    let mut text = format!("{}.\n\n", counted(users.len() as u64, "user"));
    for user in users {
        let email = user
            .email_address
            .as_deref()
            .map_or(String::new(), |email| format!(" <{email}>"));
        let _ = writeln!(
            text,
            "- **{}**{email}, account id `{}`{}",
            user.display_name,
            user.account_id,
            if user.active { "" } else { " (inactive)" }
        );
    }
    if more {
        let next = start_at as usize + users.len();
        let _ = write!(
            text,
            "\nThere may be more: call again with `startAt: {next}`.\n"
        );
    }
    text
}

pub fn attachments(issue_key: &str, attachments: &[Attachment]) -> String {
    let mut text = format!(
        "{issue_key} has {}.\n\n",
        counted(attachments.len() as u64, "attachment")
    );
    for attachment in attachments {
        let author = attachment.author.as_ref().map_or(String::new(), |author| {
            format!(" by {}", author.display_name)
        });
        let _ = writeln!(
            text,
            "- **{}** (id {}, {}, {}){author}{}",
            attachment.filename,
            attachment.id(),
            attachment.mime_type,
            size(attachment.size),
            attachment
                .created
                .as_deref()
                .map_or(String::new(), |created| format!(", {}", day(created)))
        );
    }
    text
}

fn links(links: &[IssueLink]) -> String {
    let shown: Vec<String> = links
        .iter()
        .filter_map(|link| {
            let (verb, other) = match (&link.outward_issue, &link.inward_issue) {
                (Some(issue), _) => (&link.kind.outward, issue),
                (None, Some(issue)) => (&link.kind.inward, issue),
                (None, None) => return None,
            };
            Some(format!("{verb} {} (link id {})", other.key, link.id))
        })
        .collect();
    shown.join("; ")
}

fn named(value: Option<&Named>) -> &str {
    value.map_or("", |named| named.name.as_str())
}

fn person(value: Option<&Person>) -> &str {
    value.map_or("", |person| person.display_name.as_str())
}

fn timestamp(value: Option<&Timestamp>) -> String {
    value.map(Timestamp::text).unwrap_or_default()
}

fn or_none(text: &str) -> &str {
    if text.is_empty() { "none" } else { text }
}

/// Any field value as short text: names of objects, items of arrays, rich text as markdown.
fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| shown(Some(item)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(object @ Value::Object(map)) => {
            if map.get("type").and_then(Value::as_str) == Some("doc") {
                return adf::to_markdown(object);
            }
            ["displayName", "name", "value", "key"]
                .iter()
                .find_map(|key| map.get(*key).and_then(Value::as_str))
                .map_or_else(|| object.to_string(), str::to_owned)
        }
        Some(other) => other.to_string(),
    }
}
