//! A server made of parts: `#[mcp_server(.., parts(issues, pulls))] impl Github` collects the
//! tools of the `#[mcp_tools] impl Github` blocks in those modules, then generates the server
//! from all of them, with the same checks as for tools in one block (a name repeated in two
//! parts is an error on the second).
//!
//! One expansion cannot read another file, so each part leaves its tool declarations in a
//! `macro_rules!` of its module (`__mcp_tools_of_Github`); the server's expansion calls the
//! first part's, which hands its declarations to `mcp_compose!` with the rest of the list, which
//! calls the next part's, and so on. The last step has every declaration, with the spans of the
//! files they were written in, and generates the enum, the metadata and the `McpServer` impl.

use darling::ast::NestedMeta;
use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{ItemImpl, Path, Token, TraitItemFn, braced, bracketed};

use crate::attr::ServerArgs;
use crate::codegen;
use crate::model::{Server, Tool};
use crate::paths::Runtime;

/// The first step: hands the server's own declarations to the first part.
pub(crate) fn first_step(server: &Server<'_>) -> TokenStream {
    let payload = payload(server);
    let own = codegen::declarations(&server.tools);
    next_step(server, &server.parts, payload, vec![quote!({ #own })])
}

/// The server as the parts pass it on: its attribute and doc comments on an empty impl block.
fn payload(server: &Server<'_>) -> TokenStream {
    let args = &server.attr_args;
    let self_ty = &server.item.self_ty;
    let docs = server
        .item
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"));
    // The offers (resources, prompts) are the server's own block's: carried to the last step,
    // which generates their dispatch (their methods are already emitted with the block).
    let offers = server.item.items.iter().filter(
        |item| matches!(item, syn::ImplItem::Fn(method) if crate::offer::is_offer(&method.attrs)),
    );
    quote!(#[mcp_server(#args)] #(#docs)* impl #self_ty { #(#offers)* })
}

/// Calls the macro of `parts[0]` with the rest of the list and what was collected.
fn next_step(
    server: &Server<'_>,
    parts: &[Path],
    payload: TokenStream,
    blocks: Vec<TokenStream>,
) -> TokenStream {
    let (first, rest) = parts.split_first().expect("a part to collect");
    let part_macro = codegen::part_macro(server.self_ident);
    quote! {
        #first::#part_macro! { [#(#rest),*] { #payload } #(#blocks)* }
    }
}

/// What `mcp_compose!` reads: the parts left, the server, and the declarations so far.
struct Input {
    rest: Punctuated<Path, Token![,]>,
    payload: TokenStream,
    blocks: Vec<Block>,
}

/// The declarations of one part, or the mark of a part that had errors (already reported).
enum Block {
    Tools(Vec<TraitItemFn>),
    Broken,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        bracketed!(content in input);
        let rest = content.parse_terminated(Path::parse_mod_style, Token![,])?;
        let content;
        braced!(content in input);
        let payload = content.parse()?;
        let mut blocks = Vec::new();
        while !input.is_empty() {
            let content;
            braced!(content in input);
            if content.peek(Token![@]) {
                content.parse::<Token![@]>()?;
                content.parse::<syn::Ident>()?;
                blocks.push(Block::Broken);
                continue;
            }
            let mut tools = Vec::new();
            while !content.is_empty() {
                tools.push(content.parse()?);
            }
            blocks.push(Block::Tools(tools));
        }
        Ok(Input {
            rest,
            payload,
            blocks,
        })
    }
}

/// Expands `mcp_compose!`: the next step, or the server.
pub fn mcp_compose(input: TokenStream) -> TokenStream {
    let input: Input = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let item: ItemImpl = match syn::parse2(input.payload.clone()) {
        Ok(item) => item,
        Err(error) => return error.to_compile_error(),
    };
    let attr_args = item
        .attrs
        .iter()
        .find(|attr| attr.path().is_ident("mcp_server"))
        .and_then(|attr| attr.meta.require_list().ok())
        .map(|list| list.tokens.clone())
        .unwrap_or_default();
    let mut acc = darling::Error::accumulator();
    let items =
        acc.handle(NestedMeta::parse_meta_list(attr_args.clone()).map_err(darling::Error::from));
    let args = ServerArgs::parse(items, &mut acc);
    let rt = Runtime::new(args.krate.clone());
    let Some(mut server) = Server::from_syn(&item, args, attr_args, &mut acc) else {
        // The server's own expansion reported this already.
        let _ = acc.finish();
        return TokenStream::new();
    };

    if !input.rest.is_empty() {
        // Read already, without errors, by the server's own expansion.
        let _ = acc.finish();
        let parts: Vec<Path> = input.rest.iter().cloned().collect();
        let blocks = input.blocks.iter().map(|block| match block {
            Block::Broken => quote!({ @broken }),
            Block::Tools(tools) => quote!({ #(#tools)* }),
        });
        return next_step(&server, &parts, input.payload, blocks.collect());
    }

    let mut broken = false;
    let mut tools = Vec::new();
    for (index, block) in input.blocks.iter().enumerate() {
        match block {
            Block::Broken => broken = true,
            Block::Tools(declared) => {
                for declaration in declared {
                    if let Some(Some(mut tool)) =
                        Tool::from_fn(&declaration.attrs, &declaration.sig, &mut acc)
                    {
                        // The first block is the server's own; the others are in other modules.
                        tool.linked = index == 0;
                        tools.push(tool);
                    }
                }
            }
        }
    }
    server.tools = tools;
    crate::check::server(&server, &mut acc);
    let output = match (acc.finish(), broken) {
        (Ok(()), false) => codegen::compose(&rt, &server),
        // A broken part reported its errors; the server stands in without more.
        (Ok(()), true) => crate::fallback::server_stub(&rt, &server),
        (Err(errors), _) => {
            let errors = errors.write_errors();
            let stub = crate::fallback::server_stub(&rt, &server);
            quote!(#errors #stub)
        }
    };
    crate::expand::debug_print(&output);
    output
}
