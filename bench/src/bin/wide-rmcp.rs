//! The 50-tool server of `wide_server`, written idiomatically with rmcp's own macros: the peer
//! of the benchmark. The router is built once and stored (not rebuilt per request).
//!
//! The argument types are declared here, field for field and doc comment for doc comment the
//! same as `wide_server`'s (enums, options, lists of strings, several fields), and derived with
//! serde and schemars as rmcp's users do; the handlers format their markdown answer with the
//! same `wide_server::render` functions, so both servers answer the same text for the same call
//! (`bench/tests/same_answers.rs` checks it).
//!
//! `wide-rmcp` serves on `stdio()`; `wide-rmcp --pipes` on `stdio_pipes()`; `wide-rmcp --http`
//! on Streamable HTTP at `127.0.0.1:0/mcp`, mounted in axum as rmcp's examples do (`--nodelay`
//! adds TCP_NODELAY, which they leave out).

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::{ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wide_server::render;

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

#[derive(Clone)]
struct Wide {
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl Wide {
    fn new() -> Self {
        Wide {
            tool_router: Self::tool_router(),
        }
    }

    /// Get an issue by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_issue(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("issue")
    }

    /// List the issues of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_issue(&self, Parameters(args): Parameters<List>) -> String {
        args.render("issue")
    }

    /// Search issues by text across projects, a page at a time.
    #[tool]
    async fn search_issue(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("issue")
    }

    /// Count the issues of a project that match a filter.
    #[tool]
    async fn count_issue(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview an new issue as it would be filed, without filing it.
    #[tool]
    async fn preview_issue(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("issue")
    }

    /// Get a project by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_project(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("project")
    }

    /// List the projects of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_project(&self, Parameters(args): Parameters<List>) -> String {
        args.render("project")
    }

    /// Search projects by text across projects, a page at a time.
    #[tool]
    async fn search_project(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("project")
    }

    /// Count the projects of a project that match a filter.
    #[tool]
    async fn count_project(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new project as it would be filed, without filing it.
    #[tool]
    async fn preview_project(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("project")
    }

    /// Get a comment by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_comment(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("comment")
    }

    /// List the comments of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_comment(&self, Parameters(args): Parameters<List>) -> String {
        args.render("comment")
    }

    /// Search comments by text across projects, a page at a time.
    #[tool]
    async fn search_comment(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("comment")
    }

    /// Count the comments of a project that match a filter.
    #[tool]
    async fn count_comment(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new comment as it would be filed, without filing it.
    #[tool]
    async fn preview_comment(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("comment")
    }

    /// Get an user by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_user(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("user")
    }

    /// List the users of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_user(&self, Parameters(args): Parameters<List>) -> String {
        args.render("user")
    }

    /// Search users by text across projects, a page at a time.
    #[tool]
    async fn search_user(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("user")
    }

    /// Count the users of a project that match a filter.
    #[tool]
    async fn count_user(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview an new user as it would be filed, without filing it.
    #[tool]
    async fn preview_user(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("user")
    }

    /// Get a board by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_board(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("board")
    }

    /// List the boards of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_board(&self, Parameters(args): Parameters<List>) -> String {
        args.render("board")
    }

    /// Search boards by text across projects, a page at a time.
    #[tool]
    async fn search_board(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("board")
    }

    /// Count the boards of a project that match a filter.
    #[tool]
    async fn count_board(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new board as it would be filed, without filing it.
    #[tool]
    async fn preview_board(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("board")
    }

    /// Get a sprint by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_sprint(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("sprint")
    }

    /// List the sprints of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_sprint(&self, Parameters(args): Parameters<List>) -> String {
        args.render("sprint")
    }

    /// Search sprints by text across projects, a page at a time.
    #[tool]
    async fn search_sprint(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("sprint")
    }

    /// Count the sprints of a project that match a filter.
    #[tool]
    async fn count_sprint(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new sprint as it would be filed, without filing it.
    #[tool]
    async fn preview_sprint(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("sprint")
    }

    /// Get a version by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_version(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("version")
    }

    /// List the versions of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_version(&self, Parameters(args): Parameters<List>) -> String {
        args.render("version")
    }

    /// Search versions by text across projects, a page at a time.
    #[tool]
    async fn search_version(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("version")
    }

    /// Count the versions of a project that match a filter.
    #[tool]
    async fn count_version(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new version as it would be filed, without filing it.
    #[tool]
    async fn preview_version(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("version")
    }

    /// Get a component by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_component(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("component")
    }

    /// List the components of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_component(&self, Parameters(args): Parameters<List>) -> String {
        args.render("component")
    }

    /// Search components by text across projects, a page at a time.
    #[tool]
    async fn search_component(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("component")
    }

    /// Count the components of a project that match a filter.
    #[tool]
    async fn count_component(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new component as it would be filed, without filing it.
    #[tool]
    async fn preview_component(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("component")
    }

    /// Get a label by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_label(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("label")
    }

    /// List the labels of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_label(&self, Parameters(args): Parameters<List>) -> String {
        args.render("label")
    }

    /// Search labels by text across projects, a page at a time.
    #[tool]
    async fn search_label(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("label")
    }

    /// Count the labels of a project that match a filter.
    #[tool]
    async fn count_label(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview a new label as it would be filed, without filing it.
    #[tool]
    async fn preview_label(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("label")
    }

    /// Get an attachment by its id, with the fields and related objects asked for.
    #[tool]
    async fn get_attachment(&self, Parameters(args): Parameters<Get>) -> String {
        args.render("attachment")
    }

    /// List the attachments of a project, a page at a time, filtered by state, labels and assignee.
    #[tool]
    async fn list_attachment(&self, Parameters(args): Parameters<List>) -> String {
        args.render("attachment")
    }

    /// Search attachments by text across projects, a page at a time.
    #[tool]
    async fn search_attachment(&self, Parameters(args): Parameters<Search>) -> String {
        args.render("attachment")
    }

    /// Count the attachments of a project that match a filter.
    #[tool]
    async fn count_attachment(&self, Parameters(args): Parameters<Filter>) -> Json<Count> {
        Json(args.count())
    }

    /// Preview an new attachment as it would be filed, without filing it.
    #[tool]
    async fn preview_attachment(&self, Parameters(args): Parameters<Draft>) -> String {
        args.render("attachment")
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Wide {}

/// Streamable HTTP mounted in axum as rmcp's examples do; `nodelay` adds the TCP_NODELAY those
/// examples leave out, so the comparison can be made with and without it.
async fn serve_http(nodelay: bool) {
    use axum::serve::ListenerExt;
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService,
    };
    let service = StreamableHttpService::new(
        || Ok(Wide::new()),
        std::sync::Arc::new(LocalSessionManager::default()),
        StreamableHttpServerConfig::default(),
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback");
    eprintln!(
        "serving MCP on http://{}/mcp",
        listener.local_addr().expect("bound")
    );
    let listener = listener.tap_io(move |stream| {
        if nodelay {
            let _ = stream.set_nodelay(true);
        }
    });
    axum::serve(listener, router).await.expect("serving");
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|arg| arg == "--http") {
        return serve_http(std::env::args().any(|arg| arg == "--nodelay")).await;
    }
    let pipes = std::env::args().any(|arg| arg == "--pipes");
    let running = if pipes {
        Wide::new().serve(rmcp::transport::stdio_pipes()).await
    } else {
        Wide::new().serve(rmcp::transport::stdio()).await
    };
    let running = running.expect("the MCP handshake transport starts");
    let _ = running.waiting().await;
}
