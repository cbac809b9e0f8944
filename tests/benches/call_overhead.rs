//! The in-process call overhead of a generated server, and the cost of a 50-tool listing.
//!
//! `call_tool` does, beyond deserializing the arguments and running the handler: the name
//! lookup, a tracing span, a child cancellation token, the timeout timer, panic containment,
//! boxing the handler future and the output bound. `direct` is the same handler called by hand
//! after deserializing the same JSON, so the difference is the framework's overhead.

use std::hint::black_box;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mcp_runtime::host::CallOptions;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::{McpServer, ToolContext};
use serde_json::json;
use tests::registry::{Echo, EchoArgs};
use tests::wide::{List, Wide};

fn calls(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let arguments = json!({"text": "hello"});
    let ctx = ToolContext::new();
    let mut group = c.benchmark_group("call");
    group.bench_function("direct", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let args: EchoArgs = serde_json::from_value(black_box(arguments.clone())).unwrap();
                black_box(Echo.echo(&ctx, args).await.unwrap())
            })
        })
    });
    group.bench_function("call_tool", |b| {
        b.iter(|| {
            runtime.block_on(async {
                black_box(
                    Echo.call_tool("echo", black_box(arguments.clone()), ctx.clone())
                        .await
                        .unwrap(),
                )
            })
        })
    });
    // A host's call: the approval gate on (a `never_ask` tool is never held, but the gate is
    // consulted), through the options every served call runs with.
    let options = CallOptions::new().with_gate(Arc::new(ApprovalGate::new(MemoryStore::default())));
    group.bench_function("call_tool_gated", |b| {
        b.iter(|| {
            runtime.block_on(async {
                black_box(
                    Echo.call_tool_with(
                        "echo",
                        black_box(arguments.clone()),
                        ctx.clone(),
                        &options,
                    )
                    .await
                    .unwrap(),
                )
            })
        })
    });
    group.finish();
}

fn listing(c: &mut Criterion) {
    let mut group = c.benchmark_group("list_50_tools");
    Wide::catalog();
    group.bench_function("cached_json", |b| {
        b.iter(|| black_box(Wide::catalog().listing_json()).len())
    });
    group.bench_function("serializing_cached_values", |b| {
        b.iter(|| serde_json::to_string(black_box(Wide::catalog().listing())).unwrap())
    });
    group.bench_function("rebuilding_schemas", |b| {
        b.iter(|| {
            for _ in 0..50 {
                black_box(mcp_runtime::schema::input_schema::<List>().unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, calls, listing);
criterion_main!(benches);
