//! MCP server integrations built with `mcp-runtime`, and their registry.
//!
//! | server | id | what it reaches |
//! |---|---|---|
//! | [`sqlite::Sqlite`] | 1000 | an SQLite database, read-only; a sample database when none is given |
//! | [`github::Github`] | 1001 | GitHub: issues, pull requests and reviews, search, files, commits, projects, discussions |
//! | [`jira::Jira`] | 1002 | Jira Cloud: issues, projects, transitions, links, users, attachments |
//! | [`hubspot::Hubspot`] | 1003 | HubSpot: CRM objects (search, counts, CSV export), owners, associations, engagements, marketing emails |
//! | [`salesforce::Salesforce`] | 1004 | Salesforce: SOQL queries, objects and their metadata, record creation and updates, attachments |
//! | [`google_calendar::GoogleCalendar`] | 1005 | Google Calendar: calendars, events with Google Meet, shared availability, time zones |
//! | [`conformance::Conformance`] | 9000 | the fixtures of the official MCP conformance suite |

pub mod conformance;
pub mod connect;
pub mod github;
pub mod google_calendar;
pub mod hubspot;
pub mod jira;
pub mod kit;
pub mod markdown;
pub mod salesforce;
pub mod sqlite;
#[cfg(test)]
#[path = "../tests/support/logs.rs"]
mod test_logs;

use mcp_runtime::mcp_registry;

use connect::OAuthEndpoints;

mcp_registry!(
    /// Every server the `mcp-providers` binary serves.
    pub SERVERS = [
        sqlite::Sqlite => sqlite::Sqlite::from_settings,
        github::Github => github::Github::from_settings,
        jira::Jira => jira::Jira::from_settings,
        hubspot::Hubspot => hubspot::Hubspot::from_settings,
        salesforce::Salesforce => salesforce::Salesforce::from_settings,
        google_calendar::GoogleCalendar => google_calendar::GoogleCalendar::from_settings,
        conformance::Conformance,
    ],
);

/// The OAuth endpoints and scopes of each provider a server of [`SERVERS`] connects users to
/// (its `authorization(provider = ..)`), for a host's connect flow.
pub fn oauth_endpoints(provider: &str) -> Option<&'static OAuthEndpoints> {
    match provider {
        "github" => Some(&github::OAUTH),
        "jira" => Some(&jira::OAUTH),
        "hubspot" => Some(&hubspot::OAUTH),
        "salesforce" => Some(&salesforce::OAUTH),
        "google_calendar" => Some(&google_calendar::OAUTH),
        _ => None,
    }
}
