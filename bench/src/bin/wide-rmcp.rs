//! The 50-tool server of `tests::wide`, written idiomatically with rmcp's own macros: the peer
//! of the benchmark. The router is built once and stored (not rebuilt per request).
//!
//! `wide-rmcp` serves on `stdio()`; `wide-rmcp --pipes` on `stdio_pipes()`; `wide-rmcp --http`
//! on Streamable HTTP at `127.0.0.1:0/mcp`, mounted in axum as rmcp's examples do (`--nodelay`
//! adds TCP_NODELAY, which they leave out).

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::{ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use serde::{Deserialize, Serialize};

/// Arguments identifying one object.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ById {
    /// The object's id.
    pub id: String,
}

/// Arguments of a paged listing.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct Page {
    /// Filter text.
    pub query: Option<String>,
    /// Page size, at most 100.
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

/// A structured count.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Count {
    /// How many.
    pub total: u64,
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

    /// Get a issue by its id.
    #[tool]
    async fn get_issue(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List issues, a page at a time.
    #[tool]
    async fn list_issue(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search issues, a page at a time.
    #[tool]
    async fn search_issue(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the issues matching a query.
    #[tool]
    async fn count_issue(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a issue.
    #[tool]
    async fn describe_issue(&self) -> String {
        "issue".to_owned()
    }

    /// Get a project by its id.
    #[tool]
    async fn get_project(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List projects, a page at a time.
    #[tool]
    async fn list_project(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search projects, a page at a time.
    #[tool]
    async fn search_project(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the projects matching a query.
    #[tool]
    async fn count_project(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a project.
    #[tool]
    async fn describe_project(&self) -> String {
        "project".to_owned()
    }

    /// Get a comment by its id.
    #[tool]
    async fn get_comment(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List comments, a page at a time.
    #[tool]
    async fn list_comment(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search comments, a page at a time.
    #[tool]
    async fn search_comment(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the comments matching a query.
    #[tool]
    async fn count_comment(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a comment.
    #[tool]
    async fn describe_comment(&self) -> String {
        "comment".to_owned()
    }

    /// Get a user by its id.
    #[tool]
    async fn get_user(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List users, a page at a time.
    #[tool]
    async fn list_user(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search users, a page at a time.
    #[tool]
    async fn search_user(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the users matching a query.
    #[tool]
    async fn count_user(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a user.
    #[tool]
    async fn describe_user(&self) -> String {
        "user".to_owned()
    }

    /// Get a board by its id.
    #[tool]
    async fn get_board(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List boards, a page at a time.
    #[tool]
    async fn list_board(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search boards, a page at a time.
    #[tool]
    async fn search_board(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the boards matching a query.
    #[tool]
    async fn count_board(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a board.
    #[tool]
    async fn describe_board(&self) -> String {
        "board".to_owned()
    }

    /// Get a sprint by its id.
    #[tool]
    async fn get_sprint(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List sprints, a page at a time.
    #[tool]
    async fn list_sprint(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search sprints, a page at a time.
    #[tool]
    async fn search_sprint(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the sprints matching a query.
    #[tool]
    async fn count_sprint(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a sprint.
    #[tool]
    async fn describe_sprint(&self) -> String {
        "sprint".to_owned()
    }

    /// Get a version by its id.
    #[tool]
    async fn get_version(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List versions, a page at a time.
    #[tool]
    async fn list_version(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search versions, a page at a time.
    #[tool]
    async fn search_version(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the versions matching a query.
    #[tool]
    async fn count_version(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a version.
    #[tool]
    async fn describe_version(&self) -> String {
        "version".to_owned()
    }

    /// Get a component by its id.
    #[tool]
    async fn get_component(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List components, a page at a time.
    #[tool]
    async fn list_component(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search components, a page at a time.
    #[tool]
    async fn search_component(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the components matching a query.
    #[tool]
    async fn count_component(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a component.
    #[tool]
    async fn describe_component(&self) -> String {
        "component".to_owned()
    }

    /// Get a label by its id.
    #[tool]
    async fn get_label(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List labels, a page at a time.
    #[tool]
    async fn list_label(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search labels, a page at a time.
    #[tool]
    async fn search_label(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the labels matching a query.
    #[tool]
    async fn count_label(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a label.
    #[tool]
    async fn describe_label(&self) -> String {
        "label".to_owned()
    }

    /// Get a attachment by its id.
    #[tool]
    async fn get_attachment(&self, Parameters(args): Parameters<ById>) -> String {
        args.id
    }

    /// List attachments, a page at a time.
    #[tool]
    async fn list_attachment(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Search attachments, a page at a time.
    #[tool]
    async fn search_attachment(&self, Parameters(args): Parameters<Page>) -> String {
        args.query.unwrap_or_default()
    }

    /// Count the attachments matching a query.
    #[tool]
    async fn count_attachment(&self, Parameters(args): Parameters<Page>) -> Json<Count> {
        Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        })
    }

    /// Describe the fields of a attachment.
    #[tool]
    async fn describe_attachment(&self) -> String {
        "attachment".to_owned()
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
