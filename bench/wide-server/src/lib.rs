//! A 50-tool server: it must compile, list its tools with valid schemas (the `tests` crate checks
//! both), and serve the benchmarks (`bench`'s `wide-ours`; `wide-rmcp` is the same fifty tools on
//! rmcp's macros). A crate of its own, so that rebuilding it after touching one handler compiles
//! this server alone, as rebuilding `wide-rmcp` compiles that one.
//!
//! The tools look like a tracker's real ones: ten kinds of object (issue, project, comment, …),
//! each with `get_*` ([`Get`]: an id, lists of fields and related objects), `list_*` ([`List`]:
//! a project, enums for state, sort and direction, labels, an assignee, a page), `search_*`
//! ([`Search`]), `count_*` ([`Filter`], answering the structured [`Count`]) and `preview_*`
//! ([`Draft`]: title, body, labels, an enum priority, a due date). Every one is a read
//! (`never_ask`). The handlers render markdown from their arguments with [`render`], as a
//! provider renders a record, so a call costs the argument parsing and output building that
//! real calls do. `wide-rmcp` declares the same argument types field for field and calls the same
//! [`render`], so both servers answer the same text.

use mcp_runtime::prelude::*;

/// Which objects, by state.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Still open.
    Open,
    /// Closed: done, declined or duplicate.
    Closed,
    /// Open and closed alike.
    All,
}

impl State {
    /// The name the arguments use.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Closed => "closed",
            State::All => "all",
        }
    }
}

/// The order of a listing.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// By creation time.
    Created,
    /// By last update.
    Updated,
    /// By priority.
    Priority,
    /// By title, alphabetically.
    Title,
}

impl Sort {
    /// The name the arguments use.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Created => "created",
            Sort::Updated => "updated",
            Sort::Priority => "priority",
            Sort::Title => "title",
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Oldest or smallest first.
    Asc,
    /// Newest or largest first.
    Desc,
}

impl Direction {
    /// The name the arguments use.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }
}

/// How urgent an object is.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Whenever there is time.
    Lowest,
    /// Soon, not now.
    Low,
    /// In the normal course.
    Medium,
    /// Before other work.
    High,
    /// Now: something is broken.
    Highest,
}

impl Priority {
    /// The name the arguments use.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Lowest => "lowest",
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Highest => "highest",
        }
    }
}

/// Arguments of the `get_*` tools: one object by its id.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Get {
    /// The object's id, such as `PROJ-42`.
    pub id: String,
    /// Fields to return, such as `title`, `state` or `assignee`; a few common ones when absent.
    pub fields: Option<Vec<String>>,
    /// Related objects to include, such as `comments`, `links` or `watchers`; none when absent.
    pub expand: Option<Vec<String>>,
}

impl Get {
    /// The object, as markdown.
    pub fn render(&self, kind: &str) -> String {
        render::get(
            kind,
            &self.id,
            self.fields.as_deref(),
            self.expand.as_deref(),
        )
    }
}

/// Arguments of the `list_*` tools: a page of a project's objects.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct List {
    /// The project's key, such as `PROJ`.
    pub project: String,
    /// Which objects, by state; open ones when absent.
    pub state: Option<State>,
    /// Only objects carrying all of these labels.
    pub labels: Option<Vec<String>>,
    /// Only objects assigned to this user (login or email).
    pub assignee: Option<String>,
    /// The order of the page; by last update when absent.
    pub sort: Option<Sort>,
    /// The direction of the order; newest first when absent.
    pub direction: Option<Direction>,
    /// Page size, 1 to 100; 20 when absent.
    pub limit: Option<u32>,
    /// The cursor a previous page returned, to get the next one.
    pub cursor: Option<String>,
}

impl List {
    /// The page, as markdown.
    pub fn render(&self, kind: &str) -> String {
        render::list(
            kind,
            &render::Listing {
                project: &self.project,
                state: self.state.map(State::as_str),
                labels: self.labels.as_deref(),
                assignee: self.assignee.as_deref(),
                sort: self.sort.map(Sort::as_str),
                direction: self.direction.map(Direction::as_str),
                limit: self.limit,
                cursor: self.cursor.as_deref(),
            },
        )
    }
}

/// Arguments of the `search_*` tools: objects whose text matches a query.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Search {
    /// Words to look for in titles and bodies.
    pub query: String,
    /// The keys of the projects to search; all projects when absent.
    pub projects: Option<Vec<String>>,
    /// Which objects, by state; open ones when absent.
    pub state: Option<State>,
    /// Only objects updated on or after this date (`YYYY-MM-DD`).
    pub updated_since: Option<String>,
    /// Page size, 1 to 100; 20 when absent.
    pub limit: Option<u32>,
    /// The cursor a previous page returned, to get the next one.
    pub cursor: Option<String>,
}

impl Search {
    /// The matches, as markdown.
    pub fn render(&self, kind: &str) -> String {
        render::search(
            kind,
            &render::Query {
                query: &self.query,
                projects: self.projects.as_deref(),
                state: self.state.map(State::as_str),
                updated_since: self.updated_since.as_deref(),
                limit: self.limit,
                cursor: self.cursor.as_deref(),
            },
        )
    }
}

/// Arguments of the `count_*` tools: the objects of a project that match a filter.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Filter {
    /// The project's key, such as `PROJ`.
    pub project: String,
    /// Which objects, by state; all of them when absent.
    pub state: Option<State>,
    /// Only objects carrying all of these labels.
    pub labels: Option<Vec<String>>,
    /// Only objects assigned to this user (login or email).
    pub assignee: Option<String>,
}

impl Filter {
    /// How many objects match.
    pub fn count(&self) -> Count {
        let (total, open) = render::count(
            &self.project,
            self.state.map(State::as_str),
            self.labels.as_deref(),
            self.assignee.as_deref(),
        );
        Count {
            project: self.project.clone(),
            total,
            open,
        }
    }
}

/// Arguments of the `preview_*` tools: a new object, rendered as it would be filed.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Draft {
    /// A one-line summary.
    pub title: String,
    /// The description, in markdown.
    pub body: Option<String>,
    /// Labels to put on it; may be empty.
    pub labels: Vec<String>,
    /// How urgent it is.
    pub priority: Priority,
    /// The due date (`YYYY-MM-DD`), if there is one.
    pub due: Option<String>,
}

impl Draft {
    /// The draft, as markdown.
    pub fn render(&self, kind: &str) -> String {
        render::draft(
            kind,
            &self.title,
            self.body.as_deref(),
            &self.labels,
            self.priority.as_str(),
            self.due.as_deref(),
        )
    }
}

/// The answer of the `count_*` tools.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Count {
    /// The project counted in.
    pub project: String,
    /// How many objects match.
    pub total: u64,
    /// How many of them are open.
    pub open: u64,
}

/// The answers of the fifty tools, as markdown built from their arguments: the rendering both
/// `wide-ours` and `wide-rmcp` (in `bench`) run, so that the two servers answer the same bytes
/// and the benchmark compares the servers, not the text. Pure functions over borrowed
/// arguments; each server's argument types call them.
pub mod render {
    use std::fmt::Write;

    /// How many records a page shows.
    const SHOWN: u32 = 3;

    /// The fields a `get_*` answer shows when none are asked for.
    const COMMON_FIELDS: [&str; 4] = ["title", "state", "assignee", "updated"];

    /// A `list_*` tool's arguments, borrowed.
    #[derive(Debug)]
    pub struct Listing<'a> {
        /// The project's key.
        pub project: &'a str,
        /// `open`, `closed` or `all`.
        pub state: Option<&'a str>,
        /// Labels every object carries.
        pub labels: Option<&'a [String]>,
        /// The assignee.
        pub assignee: Option<&'a str>,
        /// The order.
        pub sort: Option<&'a str>,
        /// `asc` or `desc`.
        pub direction: Option<&'a str>,
        /// The page size.
        pub limit: Option<u32>,
        /// Where the page starts.
        pub cursor: Option<&'a str>,
    }

    /// A `search_*` tool's arguments, borrowed.
    #[derive(Debug)]
    pub struct Query<'a> {
        /// The words looked for.
        pub query: &'a str,
        /// The projects searched.
        pub projects: Option<&'a [String]>,
        /// `open`, `closed` or `all`.
        pub state: Option<&'a str>,
        /// The earliest update.
        pub updated_since: Option<&'a str>,
        /// The page size.
        pub limit: Option<u32>,
        /// Where the page starts.
        pub cursor: Option<&'a str>,
    }

    /// `items` separated by commas, or `none` when there are none.
    fn push_list(out: &mut String, items: Option<&[String]>, none: &str) {
        match items {
            Some(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(item);
                }
            }
            _ => out.push_str(none),
        }
    }

    /// The page line: its size and where it starts.
    fn push_page(out: &mut String, limit: Option<u32>, cursor: Option<&str>) {
        let limit = limit.unwrap_or(20).clamp(1, 100);
        match cursor {
            Some(cursor) => writeln!(out, "**page:** {limit} after `{cursor}`"),
            None => writeln!(out, "**page:** {limit} from the start"),
        }
        .expect("writing to a String");
    }

    /// One object: a heading, its id and what was asked, then a line per field.
    pub fn get(
        kind: &str,
        id: &str,
        fields: Option<&[String]>,
        expand: Option<&[String]>,
    ) -> String {
        let mut out = String::with_capacity(256);
        writeln!(out, "# {kind} {id}\n\n**id:** {id}\n**kind:** {kind}")
            .expect("writing to a String");
        out.push_str("**expanded:** ");
        push_list(&mut out, expand, "nothing");
        out.push_str("\n\n");
        let mut field = |name: &str| {
            writeln!(out, "- **{name}:** {name} of {id}").expect("writing to a String");
        };
        match fields {
            Some(fields) if !fields.is_empty() => fields.iter().for_each(|name| field(name)),
            _ => COMMON_FIELDS.iter().for_each(|name| field(name)),
        }
        for related in expand.unwrap_or_default() {
            writeln!(out, "- **{related}:** 2 {related} of {id}").expect("writing to a String");
        }
        out
    }

    /// A page of a project's objects: a heading, the filter, then a line per object.
    pub fn list(kind: &str, listing: &Listing<'_>) -> String {
        let state = listing.state.unwrap_or("open");
        let mut out = String::with_capacity(512);
        writeln!(
            out,
            "# {kind}s in {}\n\n**state:** {state}",
            listing.project
        )
        .expect("writing to a String");
        out.push_str("**labels:** ");
        push_list(&mut out, listing.labels, "any");
        writeln!(
            out,
            "\n**assignee:** {}\n**sort:** {} {}",
            listing.assignee.unwrap_or("anyone"),
            listing.sort.unwrap_or("updated"),
            listing.direction.unwrap_or("desc"),
        )
        .expect("writing to a String");
        push_page(&mut out, listing.limit, listing.cursor);
        out.push('\n');
        let shown = SHOWN.min(listing.limit.unwrap_or(20).clamp(1, 100));
        for n in 1..=shown {
            write!(
                out,
                "- {}-{n}: {kind} {n} of {} · {state}",
                listing.project, listing.project
            )
            .expect("writing to a String");
            if let Some(assignee) = listing.assignee {
                write!(out, " · @{assignee}").expect("writing to a String");
            }
            if let Some(labels) = listing.labels.filter(|labels| !labels.is_empty()) {
                out.push_str(" · ");
                push_list(&mut out, Some(labels), "");
            }
            out.push('\n');
        }
        out
    }

    /// The objects matching a query: a heading, the filter, then a line per match.
    pub fn search(kind: &str, query: &Query<'_>) -> String {
        let state = query.state.unwrap_or("open");
        let mut out = String::with_capacity(512);
        writeln!(out, "# {kind}s matching `{}`\n", query.query).expect("writing to a String");
        out.push_str("**projects:** ");
        push_list(&mut out, query.projects, "all");
        writeln!(
            out,
            "\n**state:** {state}\n**updated since:** {}",
            query.updated_since.unwrap_or("any time"),
        )
        .expect("writing to a String");
        push_page(&mut out, query.limit, query.cursor);
        out.push('\n');
        let project = query
            .projects
            .and_then(|projects| projects.first())
            .map_or("PROJ", String::as_str);
        let shown = SHOWN.min(query.limit.unwrap_or(20).clamp(1, 100));
        for n in 1..=shown {
            writeln!(
                out,
                "- {project}-{n}: {kind} {n} mentioning `{}` · {state}",
                query.query
            )
            .expect("writing to a String");
        }
        out
    }

    /// How many of a project's objects match a filter, and how many of them are open.
    pub fn count(
        project: &str,
        state: Option<&str>,
        labels: Option<&[String]>,
        assignee: Option<&str>,
    ) -> (u64, u64) {
        let labels = labels.map_or(0, <[String]>::len) as u64;
        let total = 10 * project.len() as u64 + 3 * labels + assignee.map_or(0, str::len) as u64;
        let open = match state {
            Some("open") => total,
            Some("closed") => 0,
            _ => total * 2 / 3,
        };
        (total, open)
    }

    /// A new object as it would be filed: a heading, its fields, its labels, its body.
    pub fn draft(
        kind: &str,
        title: &str,
        body: Option<&str>,
        labels: &[String],
        priority: &str,
        due: Option<&str>,
    ) -> String {
        let mut out = String::with_capacity(256);
        writeln!(
            out,
            "# New {kind}: {title}\n\n**priority:** {priority}\n**due:** {}\n**labels:**",
            due.unwrap_or("no date"),
        )
        .expect("writing to a String");
        if labels.is_empty() {
            out.push_str("- none\n");
        }
        for label in labels {
            writeln!(out, "- {label}").expect("writing to a String");
        }
        out.push('\n');
        out.push_str(body.unwrap_or("_No description._"));
        out.push('\n');
        out
    }
}

/// The server.
#[derive(Debug, Default)]
pub struct Wide;

/// Fifty read tools over a tracker.
#[mcp_server(id = 50, availability = "auto")]
impl Wide {
    /// Get an issue by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("issue")))
    }

    /// List the issues of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_issue(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("issue")))
    }

    /// Search issues by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_issue(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("issue")))
    }

    /// Count the issues of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_issue(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview an new issue as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_issue(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("issue")))
    }

    /// Get a project by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_project(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("project")))
    }

    /// List the projects of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_project(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("project")))
    }

    /// Search projects by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_project(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("project")))
    }

    /// Count the projects of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_project(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new project as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_project(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("project")))
    }

    /// Get a comment by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_comment(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("comment")))
    }

    /// List the comments of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_comment(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("comment")))
    }

    /// Search comments by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_comment(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("comment")))
    }

    /// Count the comments of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_comment(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new comment as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_comment(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("comment")))
    }

    /// Get an user by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_user(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("user")))
    }

    /// List the users of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_user(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("user")))
    }

    /// Search users by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_user(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("user")))
    }

    /// Count the users of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_user(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview an new user as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_user(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("user")))
    }

    /// Get a board by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_board(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("board")))
    }

    /// List the boards of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_board(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("board")))
    }

    /// Search boards by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_board(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("board")))
    }

    /// Count the boards of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_board(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new board as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_board(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("board")))
    }

    /// Get a sprint by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_sprint(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("sprint")))
    }

    /// List the sprints of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_sprint(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("sprint")))
    }

    /// Search sprints by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_sprint(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("sprint")))
    }

    /// Count the sprints of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_sprint(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new sprint as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_sprint(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("sprint")))
    }

    /// Get a version by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_version(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("version")))
    }

    /// List the versions of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_version(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("version")))
    }

    /// Search versions by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_version(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("version")))
    }

    /// Count the versions of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_version(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new version as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_version(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("version")))
    }

    /// Get a component by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_component(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("component")))
    }

    /// List the components of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_component(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("component")))
    }

    /// Search components by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_component(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("component")))
    }

    /// Count the components of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_component(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new component as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_component(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("component")))
    }

    /// Get a label by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_label(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("label")))
    }

    /// List the labels of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_label(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("label")))
    }

    /// Search labels by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_label(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("label")))
    }

    /// Count the labels of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_label(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview a new label as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_label(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("label")))
    }

    /// Get an attachment by its id, with the fields and related objects asked for.
    #[tool(stake = "never_ask")]
    async fn get_attachment(&self, _ctx: &ToolContext, args: Get) -> ToolResult {
        Ok(ToolOutput::text(args.render("attachment")))
    }

    /// List the attachments of a project, a page at a time, filtered by state, labels and assignee.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_attachment(&self, _ctx: &ToolContext, args: List) -> ToolResult {
        Ok(ToolOutput::text(args.render("attachment")))
    }

    /// Search attachments by text across projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_attachment(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        Ok(ToolOutput::text(args.render("attachment")))
    }

    /// Count the attachments of a project that match a filter.
    #[tool(stake = "never_ask")]
    async fn count_attachment(&self, _ctx: &ToolContext, args: Filter) -> ToolResult<Json<Count>> {
        Ok(Json(args.count()))
    }

    /// Preview an new attachment as it would be filed, without filing it.
    #[tool(stake = "never_ask")]
    async fn preview_attachment(&self, _ctx: &ToolContext, args: Draft) -> ToolResult {
        Ok(ToolOutput::text(args.render("attachment")))
    }
}
