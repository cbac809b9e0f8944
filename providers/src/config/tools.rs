//! Which tools the host serves, given as `serve` flags or as the `[tools]` table of a
//! configuration file: all of them by default; fewer when a user asks for fewer. A tool left out
//! is neither listed nor callable.

use std::sync::Arc;

use glob::Pattern;
use mcp_runtime::host::ToolFilter;
use mcp_runtime::{ServerMetadata, Stake, ToolMetadata};
use serde::Deserialize;

/// The tools `serve` serves.
#[derive(Debug, Clone, Default, clap::Args, Deserialize)]
#[command(next_help_heading = "Tools")]
#[serde(default, deny_unknown_fields)]
pub struct Selection {
    /// Serve only the tools that read: stake `never_ask`, or marked read-only.
    #[arg(long)]
    pub read_only: bool,
    /// Serve only the tools of these toolsets (a tool's toolset is its server's name unless it
    /// names another); comma-separated or repeated.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub toolsets: Vec<String>,
    /// Serve only the tools matching one of these globs: `server/tool` (`github/list_*`) or a
    /// tool name in any server (`get_*`); comma-separated or repeated.
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub tools: Vec<String>,
    /// Leave out the tools matching one of these globs (as `--tools`), after the others.
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude_tools: Vec<String>,
}

/// A `server/tool` or `tool` glob.
#[derive(Debug)]
struct ToolGlob {
    server: Option<Pattern>,
    tool: Pattern,
}

impl ToolGlob {
    fn parse(glob: &str) -> Result<Self, String> {
        let pattern = |text: &str| {
            Pattern::new(text).map_err(|error| format!("`{glob}` is not a glob: {}", error.msg))
        };
        Ok(match glob.split_once('/') {
            Some((server, tool)) => ToolGlob {
                server: Some(pattern(server)?),
                tool: pattern(tool)?,
            },
            None => ToolGlob {
                server: None,
                tool: pattern(glob)?,
            },
        })
    }

    fn matches(&self, server: &str, tool: &str) -> bool {
        self.server
            .as_ref()
            .is_none_or(|pattern| pattern.matches(server))
            && self.tool.matches(tool)
    }
}

impl Selection {
    /// Whether it serves every tool.
    pub fn is_everything(&self) -> bool {
        !self.read_only
            && self.toolsets.is_empty()
            && self.tools.is_empty()
            && self.exclude_tools.is_empty()
    }

    /// What it keeps, in words (`config check` says it).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.read_only {
            parts.push("read-only".to_owned());
        }
        if !self.toolsets.is_empty() {
            parts.push(format!("toolsets {}", self.toolsets.join(", ")));
        }
        if !self.tools.is_empty() {
            parts.push(format!("only {}", self.tools.join(", ")));
        }
        if !self.exclude_tools.is_empty() {
            parts.push(format!("without {}", self.exclude_tools.join(", ")));
        }
        parts.join("; ")
    }

    /// The filter of this selection over the tools of the `served` servers, or what is wrong
    /// with it: a glob that does not parse, a toolset or an inclusion that matches no tool (a
    /// typo would otherwise serve nothing, silently).
    pub fn filter(
        &self,
        served: &[&'static ServerMetadata],
    ) -> Result<Option<ToolFilter>, Vec<String>> {
        if self.is_everything() {
            return Ok(None);
        }
        let mut problems = Vec::new();
        let mut globs = |globs: &[String]| -> Vec<ToolGlob> {
            globs
                .iter()
                .filter_map(|glob| ToolGlob::parse(glob).map_err(|e| problems.push(e)).ok())
                .collect()
        };
        let include = globs(&self.tools);
        let exclude = globs(&self.exclude_tools);
        let tools: Vec<(&ServerMetadata, &ToolMetadata)> = served
            .iter()
            .flat_map(|server| server.tools.iter().map(move |tool| (*server, tool)))
            .collect();
        for toolset in &self.toolsets {
            if !tools
                .iter()
                .any(|(server, tool)| server.toolset_of(tool) == toolset)
            {
                let mut known: Vec<&str> = tools
                    .iter()
                    .map(|(server, tool)| server.toolset_of(tool))
                    .collect();
                known.dedup();
                problems.push(format!(
                    "no tool is in toolset `{toolset}`; the toolsets are {}",
                    known.join(", ")
                ));
            }
        }
        for (glob, text) in include.iter().zip(&self.tools) {
            if !tools
                .iter()
                .any(|(server, tool)| glob.matches(server.name, tool.name))
            {
                problems.push(format!("no tool matches `{text}`"));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let selection = Arc::new(Kept {
            read_only: self.read_only,
            toolsets: self.toolsets.clone(),
            include,
            exclude,
        });
        Ok(Some(Arc::new(
            move |server: &ServerMetadata, tool: &ToolMetadata| selection.keeps(server, tool),
        )))
    }
}

/// A selection, compiled.
#[derive(Debug)]
struct Kept {
    read_only: bool,
    toolsets: Vec<String>,
    include: Vec<ToolGlob>,
    exclude: Vec<ToolGlob>,
}

impl Kept {
    fn keeps(&self, server: &ServerMetadata, tool: &ToolMetadata) -> bool {
        let reads = tool.stake == Stake::NeverAsk || tool.annotations.read_only;
        let in_toolsets = self.toolsets.is_empty()
            || self
                .toolsets
                .iter()
                .any(|toolset| server.toolset_of(tool) == toolset);
        let included = self.include.is_empty()
            || self
                .include
                .iter()
                .any(|glob| glob.matches(server.name, tool.name));
        let excluded = self
            .exclude
            .iter()
            .any(|glob| glob.matches(server.name, tool.name));
        (!self.read_only || reads) && in_toolsets && included && !excluded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(
        read_only: bool,
        toolsets: &[&str],
        tools: &[&str],
        exclude: &[&str],
    ) -> Selection {
        let strings = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect();
        Selection {
            read_only,
            toolsets: strings(toolsets),
            tools: strings(tools),
            exclude_tools: strings(exclude),
        }
    }

    fn registry() -> Vec<&'static ServerMetadata> {
        providers::SERVERS
            .iter()
            .map(|entry| entry.metadata())
            .collect()
    }

    /// The `server/tool` names `selection` keeps among the registry's servers.
    fn kept(selection: &Selection) -> Vec<String> {
        let served = registry();
        let filter = selection.filter(&served).unwrap();
        served
            .iter()
            .flat_map(|server| server.tools.iter().map(move |tool| (*server, tool)))
            .filter(|(server, tool)| filter.as_ref().is_none_or(|keep| keep(server, tool)))
            .map(|(server, tool)| format!("{}/{}", server.name, tool.name))
            .collect()
    }

    #[test]
    fn globs_toolsets_and_read_only_narrow_the_tools() {
        let github_lists = kept(&selection(false, &[], &["github/list_*"], &[]));
        assert!(
            github_lists.contains(&"github/list_issues".to_owned()),
            "{github_lists:?}"
        );
        assert!(
            github_lists
                .iter()
                .all(|name| name.starts_with("github/list_"))
        );

        let gets = kept(&selection(false, &["jira"], &["get_*"], &["get_issue*"]));
        assert!(
            gets.contains(&"jira/get_transitions".to_owned()),
            "{gets:?}"
        );
        assert!(
            gets.iter()
                .all(|name| name.starts_with("jira/get_") && !name.starts_with("jira/get_issue"))
        );

        let reads = kept(&selection(true, &["github"], &[], &[]));
        assert!(reads.contains(&"github/get_issue".to_owned()));
        assert!(
            !reads.iter().any(|name| name == "github/create_issue"),
            "{reads:?}"
        );
    }

    #[test]
    fn a_selection_that_matches_nothing_is_refused() {
        let served = registry();
        let problems = selection(false, &["gitlab"], &["github/lsit_*", "a/["], &[])
            .filter(&served)
            .err()
            .unwrap();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("`a/[` is not a glob"),
            "{problems:?}"
        );
        // Every server's toolset, in the registry's order.
        assert!(
            problems[1].starts_with(
                "no tool is in toolset `gitlab`; the toolsets are sqlite, github, jira, "
            ) && problems[1].contains(", conformance"),
            "{problems:?}"
        );
        assert_eq!(problems[2], "no tool matches `github/lsit_*`");
    }
}
