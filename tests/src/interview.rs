//! A server whose tools ask their client before they answer (elicitation), for the tests of
//! input-required rounds on 2026-07-28.

use mcp_runtime::prelude::*;
use serde_json::Value;

/// Arguments of `publish`.
#[derive(Deserialize, JsonSchema)]
pub struct Draft {
    /// The draft to publish.
    pub draft: String,
}

/// How many `wait` and `linger` calls have ended (the call path stops a cancelled call by dropping it).
pub static STOPPED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts a call of `wait` or `linger` when it ends: stopped, since no test waits its minute.
struct Counted;

impl Drop for Counted {
    fn drop(&mut self) {
        STOPPED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A server whose tools ask questions.
#[derive(Debug, Default)]
pub struct Interview;

/// A form of one string field.
fn form(field: &str) -> Value {
    json!({
        "type": "object",
        "properties": { field: { "type": "string" } },
        "required": [field],
    })
}

/// The accepted `field`, or what the user did instead.
fn answer(result: &Value, field: &str) -> String {
    match result["action"].as_str() {
        Some("accept") => result["content"][field]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        other => format!("({})", other.unwrap_or("no action")),
    }
}

/// Tools that ask before they answer.
#[mcp_server(id = 71, availability = "manual")]
impl Interview {
    /// Ask the user's name and greet them.
    #[tool(stake = "never_ask")]
    async fn greet(&self, ctx: &ToolContext) -> ToolResult {
        let name = ctx.input("name").elicit("Your name?", form("name")).await?;
        Ok(ToolOutput::text(format!(
            "Hello, {}",
            answer(&name, "name")
        )))
    }

    /// Wait a moment, then ask the user's name: a round ends on a question, not on a pause.
    #[tool(stake = "never_ask")]
    async fn patient(&self, ctx: &ToolContext) -> ToolResult {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let name = ctx.input("name").elicit("Your name?", form("name")).await?;
        Ok(ToolOutput::text(format!(
            "Hello, {}",
            answer(&name, "name")
        )))
    }

    /// Ask the client's model and the client's roots.
    #[tool(stake = "never_ask")]
    async fn consult(&self, ctx: &ToolContext) -> ToolResult {
        let (model, roots) = tokio::try_join!(
            ctx.input("model").create_message(json!({
                "messages": [{"role": "user", "content": {"type": "text", "text": "Hi?"}}],
                "maxTokens": 10,
            })),
            ctx.input("roots").list_roots(),
        )?;
        Ok(ToolOutput::text(format!(
            "{} from {}",
            model["content"]["text"].as_str().unwrap_or_default(),
            roots["roots"][0]["uri"].as_str().unwrap_or_default()
        )))
    }

    /// Ask a color, as a task for clients that support tasks.
    #[tool(stake = "never_ask", task = "optional")]
    async fn paint(&self, ctx: &ToolContext) -> ToolResult {
        let color = ctx
            .input("color")
            .elicit("Which color?", form("color"))
            .await?;
        Ok(ToolOutput::text(format!(
            "painted {}",
            answer(&color, "color")
        )))
    }

    /// Ask for a shade without naming the question, as a task.
    #[tool(stake = "never_ask", task = "optional")]
    async fn tint(&self, ctx: &ToolContext) -> ToolResult {
        let shade = ctx.elicit("Which shade?", form("shade")).await?;
        Ok(ToolOutput::text(format!(
            "tinted {}",
            answer(&shade, "shade")
        )))
    }

    /// Refuse, as a task: a tool error, which completes the task with an error result.
    #[tool(stake = "never_ask", task = "optional")]
    async fn refuse(&self) -> ToolResult {
        Err(McpError::new("not today").untracked())
    }

    /// Break, as a task: a failure of the call, not a tool error.
    #[tool(stake = "never_ask", task = "optional")]
    async fn crash(&self) -> ToolResult {
        panic!("the brush broke")
    }

    /// Open an interview about `topic` (a prompt, without resources: completions are offered).
    #[prompt]
    async fn open(
        &self,
        /// What the interview is about.
        topic: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!("Interview me about {topic}.")))
    }

    /// Wait until cancelled (a minute at most); only as a task.
    #[tool(stake = "never_ask", task = "required")]
    async fn wait(&self) -> ToolResult {
        let _counted = Counted;
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        Ok(ToolOutput::text("waited"))
    }

    /// Ask the subject in the call's rounds, become a task, then ask the color through it.
    #[tool(stake = "never_ask", task = "required", task_start = "handler")]
    async fn sketch(&self, ctx: &ToolContext) -> ToolResult {
        let subject = ctx
            .input("subject")
            .elicit("Which subject?", form("subject"))
            .await?;
        ctx.start_task().await;
        let color = ctx
            .input("color")
            .elicit("Which color?", form("color"))
            .await?;
        Ok(ToolOutput::text(format!(
            "sketched {} in {}",
            answer(&subject, "subject"),
            answer(&color, "color")
        )))
    }

    /// Ask the subject, then become a task, for clients that support tasks, and draw it.
    #[tool(stake = "never_ask", task = "optional", task_start = "handler")]
    async fn draw(&self, ctx: &ToolContext) -> ToolResult {
        let subject = ctx
            .input("subject")
            .elicit("Which subject?", form("subject"))
            .await?;
        ctx.start_task().await;
        Ok(ToolOutput::text(format!(
            "drew {}",
            answer(&subject, "subject")
        )))
    }

    /// Look a moment and answer as a plain call: a task only if it asked to become one.
    #[tool(stake = "never_ask", task = "optional", task_start = "handler")]
    async fn glance(&self, _ctx: &ToolContext) -> ToolResult {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Ok(ToolOutput::text("glanced"))
    }

    /// A required task that answers before it starts one.
    #[tool(stake = "never_ask", task = "required", task_start = "handler")]
    async fn doodle(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("doodled"))
    }

    /// Become a task at once, then wait until cancelled (a minute at most).
    #[tool(stake = "never_ask", task = "required", task_start = "handler")]
    async fn linger(&self, ctx: &ToolContext) -> ToolResult {
        ctx.start_task().await;
        let _counted = Counted;
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        Ok(ToolOutput::text("lingered"))
    }

    /// Ask two questions in turn, unnamed.
    #[tool(stake = "never_ask")]
    async fn survey(&self, ctx: &ToolContext) -> ToolResult {
        let city = ctx.elicit("Your city?", form("city")).await?;
        let color = ctx.elicit("Your color?", form("color")).await?;
        Ok(ToolOutput::text(format!(
            "{} in {}",
            answer(&color, "color"),
            answer(&city, "city")
        )))
    }

    /// Ask two questions at once.
    #[tool(stake = "never_ask")]
    async fn pair(&self, ctx: &ToolContext) -> ToolResult {
        let (first, second) = tokio::try_join!(
            ctx.input("first").elicit("First?", form("value")),
            ctx.input("second").elicit("Second?", form("value")),
        )?;
        Ok(ToolOutput::text(format!(
            "{} and {}",
            answer(&first, "value"),
            answer(&second, "value")
        )))
    }

    /// Ask one question after another until the client stops answering.
    #[tool(stake = "never_ask")]
    async fn endless(&self, ctx: &ToolContext) -> ToolResult {
        let mut asked = 0;
        loop {
            ctx.input(&format!("q{asked}"))
                .elicit("Again?", form("value"))
                .await?;
            asked += 1;
        }
    }

    /// Publish a draft under a title the user gives (asked after the call is approved).
    #[tool(stake = "low")]
    async fn publish(&self, ctx: &ToolContext, args: Draft) -> ToolResult {
        let title = ctx.input("title").elicit("Title?", form("title")).await?;
        Ok(ToolOutput::text(format!(
            "published {} as {}",
            args.draft,
            answer(&title, "title")
        )))
    }
}
