//! Compiler-free tests of the macros: accumulated error counts and expansion snapshots.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::{expand, registry, tools_trait};

/// The `compile_error!` messages in an expansion, in order.
fn errors(output: &TokenStream) -> Vec<String> {
    let file: syn::File = syn::parse2(output.clone()).expect("expansions parse as items");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(mac)
                if mac
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "compile_error") =>
            {
                let lit: syn::LitStr = mac.mac.parse_body().expect("a string");
                Some(lit.value())
            }
            _ => None,
        })
        .collect()
}

fn pretty(output: TokenStream) -> String {
    prettyplease::unparse(&syn::parse2(output).expect("expansions parse as a file"))
}

#[test]
fn every_bad_attribute_is_reported_at_once() {
    // A misspelt required key is reported once, as unknown, not also as missing.
    let output = expand::mcp_server(
        quote!(id = "22", availabilty = "manual", id = 3),
        quote! {
            /// Docs.
            impl Jira {
                /// Get.
                #[tool(stak = "low")]
                async fn get_issue(&self, ctx: &ToolContext) -> ToolResult { Ok(ToolOutput::text("x")) }

                #[tool(stake = "hgih")]
                fn post(&mut self) {}
            }
        },
    );
    let errors = errors(&output);
    assert_eq!(
        errors,
        [
            "unknown `#[mcp_server]` key `availabilty`; did you mean `availability`?",
            "duplicate `#[mcp_server]` key `id`; remove one",
            "expected an integer literal for `id` in `#[mcp_server]`",
            "unknown `#[tool]` key `stak`; did you mean `stake`?",
            "unknown stake `hgih`; did you mean `high`?",
            "`#[tool]` methods must be `async fn`; add `async` before `fn`",
            "`#[tool]` methods take `&self`; calls run concurrently on a shared server",
            "`#[tool]` methods return a tool result; add `-> ToolResult`",
            "missing description for tool `post`; add a `///` doc comment or `description = \"...\"`",
        ]
    );
}

#[test]
fn cross_tool_rules_are_reported_per_tool() {
    let output = expand::mcp_server(
        quote!(id = 1, availability = "auto"),
        quote! {
            /// Docs.
            impl Jira {
                /// A.
                #[tool(stake = "never_ask")]
                async fn create_issue(&self, ctx: &ToolContext) -> ToolResult { Ok(ToolOutput::text("x")) }
                /// B.
                #[tool(stake = "low", name = "create_issue", approval_args(key))]
                async fn other(&self, ctx: &ToolContext, args: A) -> ToolResult { Ok(ToolOutput::text("x")) }
                /// C.
                #[tool(stake = "low", name = "bad name")]
                async fn third(&self, ctx: &ToolContext) -> ToolResult { Ok(ToolOutput::text("x")) }
            }
        },
    );
    assert_eq!(errors(&output).len(), 4, "{:#?}", errors(&output));
}

#[test]
fn the_fallback_keeps_the_user_impl_with_its_tool_attributes_read() {
    let output = expand::mcp_server(
        quote!(availability = "auto"),
        quote! {
            /// Docs.
            impl Jira {
                /// Get.
                #[tool(stake = "never_ask")]
                async fn get_issue(&self, ctx: &ToolContext) -> ToolResult { Ok(ToolOutput::text("x")) }
            }
        },
    );
    let text = pretty(output);
    assert!(text.contains("async fn get_issue"), "{text}");
    assert!(text.contains("#[tool(__mcp_expanded)]"), "{text}");
    assert!(!text.contains("stake ="), "{text}");
    assert!(text.contains("pub enum JiraTool"), "{text}");
}

#[test]
fn expansion_of_a_small_server() {
    let output = expand::mcp_server(
        quote!(
            id = 22,
            availability = "manual",
            authorization(provider = "jira", use_cases(personal_actions))
        ),
        quote! {
            /// Issues in Jira.
            impl Jira {
                /// Get an issue by its key.
                #[tool(stake = "never_ask", running = "Retrieving issue", done = "Retrieve issue")]
                async fn get_issue(&self, ctx: &ToolContext, args: GetIssue) -> ToolResult {
                    Ok(ToolOutput::text(args.key))
                }

                /// Comment on an issue.
                #[tool(stake = "medium", approval_args(key))]
                #[cfg(feature = "writes")]
                async fn post_comment(&self, ctx: &ToolContext, args: PostComment) -> ToolResult {
                    Ok(ToolOutput::text(args.body))
                }

                /// Not a tool.
                fn helper(&self) {}
            }
        },
    );
    insta::assert_snapshot!(pretty(output));
}

#[test]
fn expansion_of_split_metadata() {
    let tools = tools_trait::mcp_tools(
        TokenStream::new(),
        quote! {
            /// Pages.
            pub trait WikiTools {
                /// Get a page.
                #[tool(stake = "never_ask")]
                async fn get_page(&self, ctx: &ToolContext, args: GetPage) -> ToolResult;
            }
        },
    );
    let server = expand::mcp_server(
        quote!(id = 33, availability = "manual"),
        quote! {
            /// A wiki.
            impl WikiTools for Wiki {
                async fn get_page(&self, ctx: &ToolContext, args: GetPage) -> ToolResult {
                    Ok(ToolOutput::text("page"))
                }
            }
        },
    );
    insta::assert_snapshot!(pretty(quote!(#tools #server)));
}

#[test]
fn expansion_of_a_50_tool_server() {
    let methods = (0..50).map(|i| {
        let method = format_ident!("get_thing_{i}");
        let doc = format!("Get thing number {i}.");
        quote! {
            #[doc = #doc]
            #[tool(stake = "never_ask")]
            async fn #method(&self, ctx: &ToolContext, args: Args) -> ToolResult {
                Ok(ToolOutput::text("thing"))
            }
        }
    });
    let output = expand::mcp_server(
        quote!(id = 50, availability = "auto"),
        quote! {
            /// Fifty tools.
            impl Wide { #(#methods)* }
        },
    );
    assert!(errors(&output).is_empty());
    insta::assert_snapshot!(pretty(output));
}

#[test]
fn expansion_of_a_registry() {
    let output = registry::mcp_registry(quote! {
        /// The servers.
        pub SERVERS = [Jira, Wiki], retired = [4, 28]
    });
    insta::assert_snapshot!(pretty(output));
}
