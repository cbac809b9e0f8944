//! The macros of `mcp-runtime`: depend on `mcp-runtime`, which re-exports them.
//!
//! The code is organised as serde_derive's: [`attr`] parses attribute arguments, [`model`]
//! builds the validated model, [`check`] runs the rules that span several items, [`codegen`]
//! generates, and [`fallback`] is what an erroneous input expands to.

mod attr;
mod check;
mod codegen;
mod compose;
mod derive;
mod diag;
mod expand;
mod fallback;
mod model;
mod names;
mod offer;
mod part;
mod paths;
mod registry;
mod signature;
mod tools_trait;
mod wire_names;

use proc_macro::TokenStream;

/// Turns an impl block into an MCP server: metadata, schemas, stakes, typed tool names, dispatch
/// and docs.
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `id` | integer | required | stable forever, unique in a registry |
/// | `availability` | `"manual"`, `"auto"`, `"auto_hidden_builder"` | required | how the server reaches users |
/// | `name` | string | snake_case of the type | the server's name |
/// | `version` | string | the crate's version | reported to clients |
/// | `description` | string | the impl block's doc comment | one of the two is required |
/// | `title` | string | none | display name, shown by clients |
/// | `icon`, `documentation_url`, `instructions` | string | none | shown by hosts (an `icon` that is a URI is listed to MCP clients) |
/// | `authorization(provider = "..", use_cases(..))` | | none | the OAuth requirement |
/// | `allow_multiple_instances`, `preview` | flag | false | |
/// | `restricted` | path to `fn(&Workspace) -> bool` | none | hides the server where true |
/// | `timeout_ms` | integer | 180000 | upper bound of one call |
/// | `changes` | field name | none | the field holding the server's `ResourceChanges`: clients may subscribe to its resources, and hear of each change it announces |
/// | `crate` | path | `::mcp_runtime` | for crates that re-export the runtime |
///
/// Methods marked `#[tool(...)]` are the tools: `async fn name(&self, ctx: &ToolContext, args:
/// T) -> R`, see [`macro@tool`]. Other methods stay as written.
#[proc_macro_attribute]
pub fn mcp_server(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::mcp_server(args.into(), item.into()).into()
}

/// Marks a method of an `#[mcp_server]` impl block (or a declaration of an `#[mcp_tools]` trait)
/// as a tool.
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `stake` | `"never_ask"`, `"low"`, `"medium"`, `"high"` | required | when a user must approve a call |
/// | `name` | string | the method's name | wire name, `[A-Za-z0-9_-]`, `mcp__<server>__<tool>` within 64 characters |
/// | `description` | string | the doc comment | one of the two is required |
/// | `title` | string | none | display name |
/// | `running`, `done` | string | none | status labels |
/// | `approval_args(field, ..)` | fields of the arguments type | none | scope remembered `medium` approvals |
/// | `retry` | `"never"`, `"on_interrupt"` | `"on_interrupt"` for `never_ask`, else `"never"` | may an interrupted call be re-run |
/// | `read_only`, `destructive`, `idempotent`, `open_world` | flag or `= bool` | from the stake | MCP annotations |
/// | `cost` | `"basic"`, `"advanced"` | `"basic"` | billing category |
/// | `eager` | flag | false | keep in the cached tool prefix |
/// | `icon` | string (URI) | none | listed to clients as the tool's icon |
/// | `task` | `"forbidden"`, `"optional"`, `"required"` | `"forbidden"` | run as a task for clients that support tasks (2026-07-28) |
/// | `task_start` | `"call"`, `"handler"` | `"call"` | when the call becomes a task: at once, or when the handler calls `ctx.start_task()` (after asking its questions in input-required rounds) |
/// | `toolset` | string | the server's name | the toolset a host serves it in (`--toolsets`) |
/// | `full_schema` | flag | false | list the arguments' JSON Schema 2020-12 as schemars writes it (`$defs`, `$ref`, composition) rather than the client-safe profile |
///
/// On its own, outside `#[mcp_server]` or `#[mcp_tools]`, it is an error.
#[proc_macro_attribute]
pub fn tool(args: TokenStream, item: TokenStream) -> TokenStream {
    if args.to_string() == attr::EXPANDED {
        return item;
    }
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        "`#[tool]` must be inside an `#[mcp_server]` impl block or an `#[mcp_tools]` trait",
    )
    .to_compile_error();
    let item = proc_macro2::TokenStream::from(item);
    quote::quote!(#error #item).into()
}

/// Marks a method of an `#[mcp_server]` impl block as a resource at one URI:
/// `async fn name(&self, ctx: &ToolContext) -> ResourceResult` (the context is optional).
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `uri` | string | required | the resource's URI, without variables |
/// | `name` | string | the method's name | |
/// | `description` | string | the doc comment | one of the two is required |
/// | `title`, `mime_type`, `icon` | string | none | shown by clients (`icon` a URI) |
#[proc_macro_attribute]
pub fn resource(args: TokenStream, item: TokenStream) -> TokenStream {
    outside("resource", args, item)
}

/// Marks a method of an `#[mcp_server]` impl block as the resources of a URI template:
/// `async fn name(&self, ctx: &ToolContext, id: String) -> ResourceResult`, one `String`
/// parameter per variable (`{id}`, or `{+path}` for a value spanning `/`).
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `uri` | string | required | the URI template |
/// | `complete(variable = method, ..)` | | none | `async fn method(&self, ctx: &ToolContext, value: &str) -> Result<Vec<String>, McpError>` completes the variable |
/// | `name`, `description`, `title`, `mime_type`, `icon` | string | as `#[resource]` | |
#[proc_macro_attribute]
pub fn resource_template(args: TokenStream, item: TokenStream) -> TokenStream {
    outside("resource_template", args, item)
}

/// Marks a method of an `#[mcp_server]` impl block as a prompt:
/// `async fn name(&self, ctx: &ToolContext, topic: String, tone: Option<String>) -> PromptResult`,
/// each parameter an argument documented by its doc comment (an `Option` is optional).
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `name` | string | the method's name | |
/// | `description` | string | the doc comment | one of the two is required |
/// | `title`, `icon` | string | none | shown by clients (`icon` a URI) |
/// | `complete(argument = method, ..)` | | none | as in [`macro@resource_template`] |
#[proc_macro_attribute]
pub fn prompt(args: TokenStream, item: TokenStream) -> TokenStream {
    outside("prompt", args, item)
}

/// An offer attribute passes through once `#[mcp_server]` read it; anywhere else it is an error.
fn outside(name: &str, args: TokenStream, item: TokenStream) -> TokenStream {
    if args.to_string() == attr::EXPANDED {
        return item;
    }
    let error = syn::Error::new(
        proc_macro2::Span::call_site(),
        format!("`#[{name}]` must be inside an `#[mcp_server]` impl block"),
    )
    .to_compile_error();
    let item = proc_macro2::TokenStream::from(item);
    quote::quote!(#error #item).into()
}

/// Declares tools apart from the server's `#[mcp_server]` block: on a trait, tools without their
/// handlers (split metadata); on an impl block of the server's type, a part of the server in a
/// module of its own, which the server lists in `parts(..)`.
#[proc_macro_attribute]
pub fn mcp_tools(args: TokenStream, item: TokenStream) -> TokenStream {
    tools_trait::mcp_tools(args.into(), item.into()).into()
}

/// Not public API: one step of collecting the tools of a server made of parts.
#[doc(hidden)]
#[proc_macro]
pub fn mcp_compose(input: TokenStream) -> TokenStream {
    compose::mcp_compose(input.into()).into()
}

/// Derives serde's `Deserialize` without `serde` among the crate's dependencies (the prelude's
/// `Deserialize`); `#[serde(..)]` attributes work as with serde's own derive.
#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    derive::derive(input.into(), derive::Derive::Deserialize).into()
}

/// Derives serde's `Serialize` without `serde` among the crate's dependencies (the prelude's
/// `Serialize`); `#[serde(..)]` attributes work as with serde's own derive.
#[proc_macro_derive(Serialize, attributes(serde))]
pub fn derive_serialize(input: TokenStream) -> TokenStream {
    derive::derive(input.into(), derive::Derive::Serialize).into()
}

/// Derives schemars' `JsonSchema` without `schemars` among the crate's dependencies (the
/// prelude's `JsonSchema`); `#[schemars(..)]` and `#[serde(..)]` attributes work as with
/// schemars' own derive, and doc comments become descriptions.
#[proc_macro_derive(JsonSchema, attributes(schemars, serde, validate, garde))]
pub fn derive_json_schema(input: TokenStream) -> TokenStream {
    derive::derive(input.into(), derive::Derive::JsonSchema).into()
}

/// Declares the servers of a host: `mcp_registry!(pub SERVERS = [Jira, Github], retired = [4]);`
#[proc_macro]
pub fn mcp_registry(input: TokenStream) -> TokenStream {
    registry::mcp_registry(input.into()).into()
}

#[cfg(test)]
mod tests;
