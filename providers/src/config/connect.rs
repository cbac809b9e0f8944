//! The `[connect.PROVIDER]` tables: the OAuth apps this host's users connect their accounts
//! through. An instance of a server (`[servers.ghes] server = "github"`) has its own, under its
//! own name (`[connect.ghes]`), with its platform's endpoints unless the table names others.

use std::collections::BTreeMap;

use secrecy::SecretString;
use toml::Spanned;

use super::{Problem, file, suggestion};

/// One OAuth app, read and checked.
#[derive(Debug)]
pub struct ConnectApp {
    /// What users' connections through it are kept under: the provider (`github`, `jira`), or
    /// an instance's name (`ghes`).
    pub provider: String,
    /// The provider whose OAuth endpoints it uses (`github` for `ghes`).
    pub platform: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    /// Where the platform says whom a token is for, instead of its usual.
    pub account_url: Option<String>,
    /// Where tokens are revoked (RFC 7009), instead of its usual.
    pub revocation_url: Option<String>,
}

/// The apps the tables describe; each mistake goes to `problems`. A connect flow needs the
/// public URL (the platforms send users back to it) and token keys (users' tokens are stored
/// encrypted): `ready` says whether both are there.
/// `providers` are those the servers served connect users to, each with its platform (the
/// provider itself, or for an instance the provider of its server).
pub(super) fn read(
    tables: BTreeMap<Spanned<String>, Spanned<file::ConnectApp>>,
    providers: &[(&str, &str)],
    ready: Result<(), &str>,
    problems: &mut Vec<Problem>,
) -> Vec<ConnectApp> {
    let mut apps = Vec::new();
    for (provider, table) in tables {
        let connectable =
            |(_, platform): &&(&str, &str)| providers::oauth_endpoints(platform).is_some();
        let known = providers.iter().filter(connectable).map(|(key, _)| *key);
        let Some((_, platform)) = providers
            .iter()
            .filter(connectable)
            .find(|(key, _)| key == provider.get_ref())
        else {
            problems.push(Problem::at(
                provider.span(),
                format!(
                    "no server connects users to `{}`{}",
                    provider.get_ref(),
                    suggestion(provider.get_ref(), known)
                ),
            ));
            continue;
        };
        let platform = (*platform).to_owned();
        if let Err(missing) = ready {
            problems.push(Problem::at(
                provider.span(),
                format!("connecting users' accounts needs {missing}"),
            ));
            continue;
        }
        let span = table.span();
        let table = table.into_inner();
        let client_secret = match table.client_secret.as_ref().map(super::client_secret) {
            Some(Ok(secret)) => Some(secret),
            Some(Err(problem)) => {
                problems.push(problem);
                continue;
            }
            None => None,
        };
        let url = |url: &Option<Spanned<String>>, key, problems: &mut Vec<Problem>| {
            url.as_ref()
                .and_then(|url| super::auth::url_at(url, key, problems))
                .map(String::from)
        };
        let authorize_url = url(&table.authorize_url, "authorize_url", problems);
        let token_url = url(&table.token_url, "token_url", problems);
        let account_url = url(&table.account_url, "account_url", problems);
        if let Some(given) = &table.account_url
            && providers::oauth_endpoints(&platform)
                .is_some_and(|endpoints| endpoints.account.is_none())
        {
            problems.push(Problem::at(
                given.span(),
                format!(
                    "`{platform}` is not asked whom a connection is for (its tokens' scopes do \
                     not allow it): remove `account_url`"
                ),
            ));
        }
        let revocation_url = url(&table.revocation_url, "revocation_url", problems);
        if table.client_id.is_empty() {
            problems.push(Problem::at(span, "`client_id` is empty"));
            continue;
        }
        apps.push(ConnectApp {
            provider: provider.into_inner(),
            platform,
            client_id: table.client_id,
            client_secret,
            authorize_url,
            token_url,
            account_url,
            revocation_url,
        });
    }
    apps
}
