//! The `[auth]` table: how clients are authenticated, checked against the servers served.

use mcp_runtime::ServerMetadata;
use mcp_runtime::host::serve::RequiredScopes;
use secrecy::SecretString;
use toml::Spanned;

use super::{Problem, file};

/// How clients are authenticated, read and checked.
#[derive(Debug)]
pub struct Auth {
    /// The URL clients reach this host at: the resource tokens must be meant for.
    pub public_url: reqwest::Url,
    /// The tokens' issuer.
    pub issuer: String,
    /// How a token is checked.
    pub check: Check,
    /// The claim naming the user.
    pub user_claim: String,
    /// The scopes the metadata lists.
    pub scopes: Vec<String>,
    /// The scopes calls need.
    pub required_scopes: RequiredScopes,
}

/// How a token is checked.
#[derive(Debug)]
pub enum Check {
    /// As a JWT signed by a key published at this URL.
    Jwks(reqwest::Url),
    /// By asking the issuer.
    Introspection {
        url: reqwest::Url,
        client_id: String,
        client_secret: SecretString,
    },
}

/// The `[auth]` table checked; each mistake goes to `problems`.
/// `public_url` is the file's, parsed (`None` when it is absent or not a URL).
pub(super) fn read(
    auth: Spanned<file::Auth>,
    public_url: Option<&Spanned<String>>,
    parsed_url: Option<reqwest::Url>,
    served: &[&'static ServerMetadata],
    problems: &mut Vec<Problem>,
) -> Option<Auth> {
    let span = auth.span();
    let auth = auth.into_inner();
    if public_url.is_none() {
        problems.push(Problem::at(
            span.clone(),
            "`[auth]` needs `public_url`, the URL clients reach this host at (tokens must be \
             meant for it)",
        ));
    }
    let issuer = auth.issuer.get_ref().clone();
    let check = match (&auth.jwks_url, &auth.introspection_url) {
        (Some(jwks), None) => url_at(jwks, "jwks_url", problems).map(Check::Jwks),
        (None, Some(url)) => introspection(&auth, url, problems),
        (None, None) => {
            problems.push(Problem::at(
                span,
                "`[auth]` needs `jwks_url` (tokens are JWTs checked with the issuer's keys) or \
                 `introspection_url` (the issuer is asked about each token)",
            ));
            None
        }
        (Some(_), Some(url)) => {
            problems.push(Problem::at(
                url.span(),
                "`[auth]` takes `jwks_url` or `introspection_url`, not both",
            ));
            None
        }
    };
    let mut required_scopes = RequiredScopes::new();
    for (target, scopes) in auth.required_scopes {
        match super::served_target(target.get_ref(), served) {
            Ok((server, Some(tool))) => {
                required_scopes = required_scopes.tool(server, tool, scopes);
            }
            Ok((server, None)) => required_scopes = required_scopes.server(server, scopes),
            Err(message) => problems.push(Problem::at(target.span(), message)),
        }
    }
    Some(Auth {
        public_url: parsed_url?,
        issuer,
        check: check?,
        user_claim: auth.user_claim.unwrap_or_else(|| "sub".to_owned()),
        scopes: auth.scopes,
        required_scopes,
    })
}

fn introspection(
    auth: &file::Auth,
    url: &Spanned<String>,
    problems: &mut Vec<Problem>,
) -> Option<Check> {
    let span = url.span();
    let url = url_at(url, "introspection_url", problems);
    let (Some(client_id), Some(secret)) = (&auth.client_id, &auth.client_secret) else {
        problems.push(Problem::at(
            span,
            "introspection needs `client_id` and `client_secret`, this host's credentials at the \
             issuer",
        ));
        return None;
    };
    let client_secret = match super::client_secret(secret) {
        Ok(secret) => secret,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    Some(Check::Introspection {
        url: url?,
        client_id: client_id.get_ref().clone(),
        client_secret,
    })
}

/// The `http` or `https` URL `key` holds.
pub(super) fn url_at(
    url: &Spanned<String>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<reqwest::Url> {
    match reqwest::Url::parse(url.get_ref()) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Some(parsed)
        }
        Ok(_) => {
            problems.push(Problem::at(
                url.span(),
                format!("`{key}` must be an `http` or `https` URL"),
            ));
            None
        }
        Err(error) => {
            problems.push(Problem::at(
                url.span(),
                format!("`{key}` is not a URL ({error}); write it whole, e.g. `https://host/path`"),
            ));
            None
        }
    }
}
