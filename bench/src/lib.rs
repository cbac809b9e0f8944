//! See `src/bin`: `mcp-load` (the driver), `wide-ours` and `wide-rmcp` (the servers).
