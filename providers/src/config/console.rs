//! The `[console]` table: the web console's client at the issuer of `[auth]`, through which
//! people sign in (OpenID Connect), and who among them are admins.

use secrecy::SecretString;
use toml::Spanned;

use super::auth::url_at;
use super::{Auth, Check, Problem, file};

/// The console, read and checked.
#[derive(Debug)]
pub struct ConsoleConfig {
    /// The issuer people sign in at (`[auth] issuer`).
    pub issuer: String,
    /// The claim naming the user (`[auth] user_claim`): a signed-in person is the user their
    /// agents' calls run for.
    pub user_claim: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    /// `None`: the issuer's discovery document says.
    pub authorize_url: Option<reqwest::Url>,
    /// `None`: the issuer's discovery document says.
    pub token_url: Option<reqwest::Url>,
    /// Where the issuer's keys are, to check ID tokens.
    pub jwks_url: reqwest::Url,
    /// Who is an admin: a claim and the value it must hold.
    pub admins: Option<(String, String)>,
}

/// The `[console]` table checked against `[auth]` and the store; each mistake goes to
/// `problems`. `sealed` says whether `[store] token_keys` are given: sessions and held calls'
/// arguments are sealed with them.
pub(super) fn read(
    table: Spanned<file::Console>,
    auth: Option<&Auth>,
    sealed: bool,
    problems: &mut Vec<Problem>,
) -> Option<ConsoleConfig> {
    let span = table.span();
    let table = table.into_inner();
    if !sealed {
        problems.push(Problem::at(
            span.clone(),
            "`[console]` needs `[store] token_keys`: its sessions and the arguments of the calls \
             it shows are sealed with them",
        ));
    }
    let Some(auth) = auth else {
        problems.push(Problem::at(
            span,
            "`[console]` needs `[auth]`: people sign in at the issuer that protects the MCP \
             endpoints",
        ));
        return None;
    };
    let jwks_url = match (&table.jwks_url, &auth.check) {
        (Some(url), _) => url_at(url, "jwks_url", problems),
        (None, Check::Jwks(url)) => Some(url.clone()),
        (None, Check::Introspection { .. }) => {
            problems.push(Problem::at(
                span,
                "`[console]` needs `jwks_url`, where the issuer publishes the keys its ID tokens \
                 are signed with (`[auth]` introspects tokens instead)",
            ));
            None
        }
    };
    let client_secret = table.client_secret.as_ref().and_then(|secret| {
        super::client_secret(secret)
            .map_err(|problem| problems.push(problem))
            .ok()
    });
    let authorize_url = table
        .authorize_url
        .as_ref()
        .map(|url| url_at(url, "authorize_url", problems));
    let token_url = table
        .token_url
        .as_ref()
        .map(|url| url_at(url, "token_url", problems));
    Some(ConsoleConfig {
        issuer: auth.issuer.clone(),
        user_claim: auth.user_claim.clone(),
        client_id: table.client_id,
        client_secret,
        authorize_url: authorize_url.flatten(),
        token_url: token_url.flatten(),
        jwks_url: jwks_url?,
        admins: table.admins.map(|admins| (admins.claim, admins.value)),
    })
}
