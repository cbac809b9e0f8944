//! HubSpot's REST API (`https://api.hubapi.com`): private-app tokens and OAuth access tokens,
//! both as bearer tokens, and HubSpot's error body.

use serde_json::Value;

use crate::connect::{AccountLookup, OAuthEndpoints};
use crate::kit::{Api, Credential, Identity, Platform};

/// Where HubSpot's API is.
pub const DEFAULT_URL: &str = "https://api.hubapi.com";

/// HubSpot's OAuth endpoints and the scopes the tools need (the reference integration's).
/// Marketing emails, the email events and campaigns, and leads need Marketing or Sales Hub
/// tiers a portal may not have: they are optional scopes, so such a portal can still connect.
pub const OAUTH: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "https://app.hubspot.com/oauth/authorize",
    token_url: "https://api.hubapi.com/oauth/v1/token",
    scopes: &[
        "oauth",
        "crm.objects.contacts.read",
        "crm.objects.contacts.write",
        "crm.schemas.contacts.read",
        "crm.objects.companies.read",
        "crm.objects.companies.write",
        "crm.schemas.companies.read",
        "crm.objects.deals.read",
        "crm.objects.deals.write",
        "crm.schemas.deals.read",
        "tickets",
        "crm.objects.owners.read",
        "crm.schemas.custom.read",
        "crm.objects.custom.read",
        "files",
        "sales-email-read",
        "timeline",
        "crm.lists.read",
        "crm.lists.write",
        "automation",
    ],
    authorize_params: &[(
        "optional_scope",
        "content marketing-email crm.objects.leads.read crm.objects.leads.write",
    )],
    account: Some(AccountLookup {
        url: "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}",
        pointer: "/user",
    }),
    // HubSpot revokes a refresh token at `DELETE /oauth/v1/refresh-tokens/{token}`, not RFC 7009.
    revocation_url: None,
};

static HUBSPOT: Identity = Identity {
    name: "HubSpot",
    provider: "hubspot",
    connect_hint: "set `HUBSPOT_TOKEN` (a private app's access token) in the server's \
                   environment, or connect with OAuth",
};

/// What is HubSpot's own in talking to it: its name and its error body.
#[derive(Debug, Clone)]
pub struct HubspotPlatform;

impl Platform for HubspotPlatform {
    fn identity(&self) -> &'static Identity {
        &HUBSPOT
    }

    /// `message`, then each of `errors[].message` that says more
    /// (`{"status": "error", "message": .., "correlationId": .., "category": .., "errors": [..]}`).
    fn error_messages(&self, body: &Value) -> Vec<String> {
        let mut messages: Vec<String> = Vec::new();
        if let Some(message) = body.get("message").and_then(Value::as_str) {
            messages.push(message.to_owned());
        }
        for error in body["errors"].as_array().into_iter().flatten() {
            if let Some(message) = error.get("message").and_then(Value::as_str)
                && !messages.iter().any(|known| known == message)
            {
                messages.push(message.to_owned());
            }
        }
        messages
    }
}

/// HubSpot's API.
pub type Client = Api<HubspotPlatform>;

/// The API at `base`, with `token` when neither the call nor a connection carries one.
pub fn new(base: &str, token: Option<String>) -> Client {
    Api::new(HubspotPlatform, base, token)
}

/// Whether `credential` is a private app's token (`pat-na1-…`) rather than an OAuth access
/// token: the two describe themselves at different endpoints.
pub fn is_private_app(credential: &Credential<'_>) -> bool {
    !credential.is_oauth() && credential.token().starts_with("pat-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_message_and_the_details_that_add_to_it() {
        let body = json!({
            "status": "error",
            "message": "Property values were not valid",
            "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
            "category": "VALIDATION_ERROR",
            "errors": [
                {"message": "Property \"colour\" does not exist", "code": "PROPERTY_DOESNT_EXIST"},
                {"message": "Property values were not valid"}
            ]
        });
        assert_eq!(
            HubspotPlatform.error_messages(&body),
            [
                "Property values were not valid",
                "Property \"colour\" does not exist"
            ]
        );
    }
}
