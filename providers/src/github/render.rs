//! GitHub answers as markdown for a model: a one-line summary first, only the fields that
//! matter, and how to get the next page when there is one.

use std::fmt::Write as _;

use crate::markdown::{counted, day, field, one_line};

use super::graphql::{
    Category, CommentedDiscussion, Discussion, DiscussionComment, DiscussionConnection,
    IssueProjects, ProjectConnection,
};
use super::types::{
    Comment, Contents, Issue, PullCommit, PullFile, PullRequest, Review, SearchResults, User,
};

/// `Created issue #12: Title` and its link.
pub fn changed_issue(verb: &str, issue: &Issue) -> String {
    format!(
        "{verb} issue #{} ({}): {}\n{}",
        issue.number, issue.state, issue.title, issue.html_url
    )
}

pub fn issue(issue: &Issue, comments: &[Comment]) -> String {
    let mut text = format!("# #{}: {}\n\n", issue.number, issue.title);
    let state = match &issue.state_reason {
        Some(reason) => format!("{} ({reason})", issue.state),
        None => issue.state.clone(),
    };
    field(&mut text, "State", &state);
    field(&mut text, "Author", &login(&issue.user));
    field(&mut text, "Assignees", &logins(&issue.assignees));
    field(
        &mut text,
        "Labels",
        &names(issue.labels.iter().map(|label| label.name.as_str())),
    );
    if let Some(milestone) = &issue.milestone {
        field(&mut text, "Milestone", &milestone.title);
    }
    field(&mut text, "Created", day(&issue.created_at));
    field(&mut text, "Updated", day(&issue.updated_at));
    field(&mut text, "URL", &issue.html_url);
    body(&mut text, issue.body.as_deref());
    if !comments.is_empty() {
        let shown = comments.len() as u64;
        let _ = if shown < issue.comments {
            write!(
                text,
                "\n## Comments (the latest {shown} of {}, oldest first)\n",
                issue.comments
            )
        } else {
            write!(text, "\n## Comments ({shown})\n")
        };
        for comment in comments {
            let _ = write!(
                text,
                "\n### {} on {}\n\n{}\n",
                login(&comment.user),
                day(&comment.created_at),
                comment.body.as_deref().unwrap_or("").trim()
            );
        }
    }
    text
}

pub fn custom_fields(number: u64, issue: &IssueProjects, project_id: Option<&str>) -> String {
    let items: Vec<_> = issue
        .project_items
        .nodes
        .iter()
        .filter(|item| project_id.is_none_or(|id| item.project.id == id))
        .collect();
    let mut text = format!(
        "#{number} ({}) is in {}.\n",
        issue.title,
        counted(items.len() as u64, "project")
    );
    for item in items {
        let _ = write!(
            text,
            "\n## {} (project {}, id `{}`)\n\n",
            item.project.title, item.project.number, item.project.id
        );
        for value in &item.field_values.nodes {
            let Some(name) = value.field.as_ref().and_then(|field| field.name.as_deref()) else {
                continue;
            };
            let shown = value
                .text
                .clone()
                .or_else(|| value.name.clone())
                .or_else(|| value.title.clone())
                .or_else(|| value.date.clone())
                .or_else(|| value.number.map(|number| number.to_string()));
            if let Some(shown) = shown {
                field(&mut text, name, &shown);
            }
        }
    }
    text
}

pub fn issue_list(
    owner: &str,
    repo: &str,
    issues: &[Issue],
    page: u32,
    next: Option<u32>,
) -> String {
    let mut text = format!(
        "{} in {owner}/{repo} (page {page}).\n\n",
        counted(issues.len() as u64, "issue")
    );
    for issue in issues {
        let labels = names(issue.labels.iter().map(|label| label.name.as_str()));
        let _ = writeln!(
            text,
            "- #{} {} [{}] by {}, updated {}{}",
            issue.number,
            issue.title,
            issue.state,
            login(&issue.user),
            day(&issue.updated_at),
            if issue.labels.is_empty() {
                String::new()
            } else {
                format!(", labels: {labels}")
            }
        );
    }
    next_page(&mut text, next);
    text
}

pub fn pull_list(
    owner: &str,
    repo: &str,
    pulls: &[PullRequest],
    page: u32,
    next: Option<u32>,
) -> String {
    let mut text = format!(
        "{} in {owner}/{repo} (page {page}).\n\n",
        counted(pulls.len() as u64, "pull request")
    );
    for pull in pulls {
        let _ = writeln!(
            text,
            "- #{} {} [{}{}] {} → {} by {}, updated {}",
            pull.number,
            pull.title,
            pull.state,
            if pull.draft == Some(true) {
                ", draft"
            } else {
                ""
            },
            pull.head.name,
            pull.base.name,
            login(&pull.user),
            day(&pull.updated_at),
        );
    }
    next_page(&mut text, next);
    text
}

pub fn search(query: &str, results: &SearchResults, page: u32, next: Option<u32>) -> String {
    let mut text = format!(
        "{} for `{query}`; page {page} shows {}.{}\n\n",
        counted(results.total_count, "result"),
        results.items.len(),
        if results.incomplete_results {
            " GitHub timed out, so the results may be incomplete."
        } else {
            ""
        }
    );
    for item in &results.items {
        let repository = item
            .repository_url
            .rsplitn(3, '/')
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("/");
        let kind = if item.pull_request.is_some() {
            "PR"
        } else {
            "issue"
        };
        let _ = writeln!(
            text,
            "- {repository}#{} ({kind}) {} [{}] by {}, updated {}",
            item.number,
            item.title,
            item.state,
            login(&item.user),
            day(&item.updated_at)
        );
    }
    next_page(&mut text, next);
    text
}

/// What a pull request's changes are shown as: its diff, or its files when GitHub refuses a
/// diff that large.
pub enum Changes<'a> {
    Diff(&'a str),
    TooLarge(&'a [PullFile]),
}

pub fn pull_request(
    pull: &PullRequest,
    commits: &[PullCommit],
    reviews: &[Review],
    changes: Changes<'_>,
) -> String {
    let mut text = format!("# #{}: {}\n\n", pull.number, pull.title);
    let state = match (pull.merged, pull.draft) {
        (Some(true), _) => "merged".to_owned(),
        (_, Some(true)) => format!("{} (draft)", pull.state),
        _ => pull.state.clone(),
    };
    field(&mut text, "State", &state);
    field(&mut text, "Author", &login(&pull.user));
    field(
        &mut text,
        "Branches",
        &format!("{} → {}", pull.head.name, pull.base.name),
    );
    if let (Some(additions), Some(deletions), Some(files)) =
        (pull.additions, pull.deletions, pull.changed_files)
    {
        field(
            &mut text,
            "Changes",
            &format!("+{additions} −{deletions} in {files} files"),
        );
    }
    field(&mut text, "Created", day(&pull.created_at));
    field(&mut text, "URL", &pull.html_url);
    body(&mut text, pull.body.as_deref());
    let _ = write!(text, "\n## Commits ({})\n\n", commits.len());
    for commit in commits {
        let summary = commit.commit.message.lines().next().unwrap_or_default();
        let author = commit
            .commit
            .author
            .as_ref()
            .map_or("unknown", |author| author.name.as_str());
        let _ = writeln!(
            text,
            "- `{}` {summary} ({author})",
            &commit.sha[..commit.sha.len().min(7)]
        );
    }
    if !reviews.is_empty() {
        let _ = write!(text, "\n## Reviews ({})\n\n", reviews.len());
        for review in reviews {
            let said = review.body.as_deref().map(str::trim).unwrap_or_default();
            let _ = writeln!(
                text,
                "- {} {}{}",
                login(&review.user),
                review.state,
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {}", one_line(said))
                }
            );
        }
    }
    match changes {
        Changes::Diff(diff) => {
            let _ = write!(
                text,
                "\n## Diff\n\nThe number before each line is its position for review comments.\n\n{diff}"
            );
        }
        Changes::TooLarge(files) => {
            let _ = write!(
                text,
                "\n## Files ({})\n\nThe diff is too large for GitHub to return (over 300 files or \
                 20 000 lines), so the changed files are listed instead; read one with \
                 `get_file_contents`.\n\n",
                files.len()
            );
            for file in files {
                let _ = writeln!(
                    text,
                    "- `{}` {} (+{} −{})",
                    file.filename, file.status, file.additions, file.deletions
                );
            }
        }
    }
    text
}

pub fn contents(contents: &Contents, reference: Option<&str>) -> String {
    let at = reference.map_or(String::new(), |reference| format!(" at `{reference}`"));
    match contents {
        Contents::Directory(entries) => {
            let mut text = format!("{} entries{at}.\n\n", entries.len());
            for entry in entries {
                let kind = if entry.kind == "dir" { "/" } else { "" };
                let size = if entry.kind == "file" {
                    format!(" ({} bytes)", entry.size)
                } else {
                    String::new()
                };
                let _ = writeln!(text, "- `{}{kind}`{size}", entry.path);
            }
            text
        }
        Contents::File(file) => {
            let header = format!("`{}`{at}, {} bytes", file.path, file.size);
            let decoded = match file.encoding.as_deref() {
                Some("base64") => base64_text(&file.content),
                _ => None,
            };
            match decoded {
                Some(content) => format!("{header}\n\n````\n{}\n````\n", content.trim_end()),
                None => format!(
                    "{header}: binary or too large to show here{}.\n",
                    file.html_url
                        .as_deref()
                        .map_or(String::new(), |url| format!("; see {url}"))
                ),
            }
        }
    }
}

/// GitHub's base64 (wrapped at 60 columns) as UTF-8 text, if it is text.
fn base64_text(encoded: &str) -> Option<String> {
    String::from_utf8(base64_bytes(encoded)?).ok()
}

/// GitHub's base64 (wrapped at 60 columns) as bytes.
pub fn base64_bytes(encoded: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let compact: String = encoded.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

pub fn commits(
    owner: &str,
    repo: &str,
    commits: &[PullCommit],
    page: u32,
    next: Option<u32>,
) -> String {
    let mut text = format!(
        "{} in {owner}/{repo} (page {page}).\n\n",
        counted(commits.len() as u64, "commit")
    );
    for commit in commits {
        let summary = commit.commit.message.lines().next().unwrap_or_default();
        let (author, date) = commit
            .commit
            .author
            .as_ref()
            .map_or(("unknown", ""), |author| {
                (author.name.as_str(), author.date.as_deref().map_or("", day))
            });
        let _ = writeln!(
            text,
            "- `{}` {summary} ({author}{})",
            &commit.sha[..commit.sha.len().min(7)],
            if date.is_empty() {
                String::new()
            } else {
                format!(", {date}")
            }
        );
    }
    next_page(&mut text, next);
    text
}

pub fn projects(owner: &str, projects: &ProjectConnection) -> String {
    let mut text = format!(
        "{} in {owner}{}.\n",
        counted(projects.total_count, "project"),
        if projects.nodes.len() as u64 == projects.total_count {
            String::new()
        } else {
            format!(", the {} most recently updated shown", projects.nodes.len())
        }
    );
    for project in &projects.nodes {
        let _ = write!(
            text,
            "\n## {} (#{}{}, id `{}`)\n\n",
            project.title,
            project.number,
            if project.closed { ", closed" } else { "" },
            project.id
        );
        if let Some(description) = project
            .short_description
            .as_deref()
            .filter(|d| !d.is_empty())
        {
            let _ = writeln!(text, "{description}\n");
        }
        let _ = writeln!(text, "{}", project.url);
        for field in &project.fields.nodes {
            let (Some(id), Some(name)) = (&field.id, &field.name) else {
                continue;
            };
            let _ = write!(text, "- field **{name}** `{id}`");
            if !field.options.is_empty() {
                let options: Vec<String> = field
                    .options
                    .iter()
                    .map(|option| format!("{} `{}`", option.name, option.id))
                    .collect();
                let _ = write!(text, ": {}", options.join(", "));
            }
            text.push('\n');
        }
    }
    text
}

pub fn categories(owner: &str, repo: &str, categories: &[Category]) -> String {
    let mut text = format!(
        "{} discussion categor{} in {owner}/{repo}.\n\n",
        categories.len(),
        if categories.len() == 1 { "y" } else { "ies" }
    );
    for category in categories {
        let description = category
            .description
            .as_deref()
            .filter(|description| !description.is_empty())
            .map(|description| format!(": {description}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "- **{}** `{}`{}{description}",
            category.name,
            category.id,
            if category.is_answerable { " (Q&A)" } else { "" }
        );
    }
    text
}

pub fn discussion(discussion: &Discussion) -> String {
    let mut text = format!("# #{}: {}\n\n", discussion.number, discussion.title);
    field(&mut text, "Category", &discussion.category.name);
    field(&mut text, "Author", &login(&discussion.author));
    field(
        &mut text,
        "State",
        if discussion.closed { "closed" } else { "open" },
    );
    field(&mut text, "Created", day(&discussion.created_at));
    field(
        &mut text,
        "Comments",
        &discussion.comments.total_count.to_string(),
    );
    field(&mut text, "Id", &format!("`{}`", discussion.id));
    field(&mut text, "URL", &discussion.url);
    body(&mut text, Some(&discussion.body));
    if let Some(answer) = &discussion.answer {
        let _ = write!(
            text,
            "\n## Accepted answer by {}\n\n{}\n",
            login(&answer.author),
            answer.body.trim()
        );
    }
    text
}

pub fn discussion_comments(number: u64, discussion: &CommentedDiscussion) -> String {
    let comments = &discussion.comments;
    let mut text = format!(
        "{} of {} comments on discussion #{number} ({}).\n",
        comments.nodes.len(),
        comments.total_count,
        discussion.title
    );
    for comment in &comments.nodes {
        discussion_comment(&mut text, comment, "##");
        if let Some(replies) = &comment.replies {
            for reply in &replies.nodes {
                discussion_comment(&mut text, reply, "###");
            }
            if replies.total_count > replies.nodes.len() as u64 {
                let _ = writeln!(
                    text,
                    "\n({} more replies not shown.)",
                    replies.total_count - replies.nodes.len() as u64
                );
            }
        }
    }
    cursor(
        &mut text,
        comments.page_info.has_next_page,
        comments.page_info.end_cursor.as_deref(),
    );
    text
}

fn discussion_comment(text: &mut String, comment: &DiscussionComment, heading: &str) {
    let _ = write!(
        text,
        "\n{heading} {} on {}{} (id `{}`)\n\n{}\n",
        login(&comment.author),
        day(&comment.created_at),
        if comment.is_answer {
            ", the accepted answer"
        } else {
            ""
        },
        comment.id,
        comment.body.trim()
    );
}

pub fn discussions(owner: &str, repo: &str, discussions: &DiscussionConnection) -> String {
    let mut text = format!(
        "{} discussion{} in {owner}/{repo}; {} shown.\n\n",
        discussions.total_count,
        if discussions.total_count == 1 {
            ""
        } else {
            "s"
        },
        discussions.nodes.len()
    );
    for discussion in &discussions.nodes {
        let _ = writeln!(
            text,
            "- #{} {} [{}{}] by {}, {} comments, updated {}",
            discussion.number,
            discussion.title,
            discussion.category.name,
            if discussion.answer.is_some() {
                ", answered"
            } else {
                ""
            },
            login(&discussion.author),
            discussion.comments.total_count,
            day(&discussion.updated_at)
        );
    }
    cursor(
        &mut text,
        discussions.page_info.has_next_page,
        discussions.page_info.end_cursor.as_deref(),
    );
    text
}

fn body(text: &mut String, body: Option<&str>) {
    match body.map(str::trim).filter(|body| !body.is_empty()) {
        Some(body) => {
            let _ = write!(text, "\n{body}\n");
        }
        None => text.push_str("\n(No description.)\n"),
    }
}

/// Where the next page is, as GitHub's `Link` header says.
fn next_page(text: &mut String, next: Option<u32>) {
    if let Some(page) = next {
        let _ = write!(
            text,
            "\nMore on the next page: call again with `page: {page}`.\n"
        );
    }
}

fn cursor(text: &mut String, more: bool, end: Option<&str>) {
    if let (true, Some(end)) = (more, end) {
        let _ = write!(
            text,
            "\nMore on the next page: call again with `after: \"{end}\"`.\n"
        );
    }
}

fn login(user: &Option<User>) -> String {
    user.as_ref().map_or("a deleted user".to_owned(), |user| {
        format!("@{}", user.login)
    })
}

fn logins(users: &[User]) -> String {
    let logins: Vec<String> = users
        .iter()
        .map(|user| format!("@{}", user.login))
        .collect();
    logins.join(", ")
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}
