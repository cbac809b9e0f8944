//! Building servers from the host's settings: each server that needs configuration (a token, a
//! base URL, a database path) is built by a factory from a settings type it declares.

use std::error::Error as StdError;
use std::fmt;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::SharedServer;
use crate::McpServer;

/// The settings of one server, by key (`token`, `base_url`, ...), as the host read them from
/// its environment or its configuration. The server's factory reads them into its own settings
/// type.
///
/// Values may be secrets: `Debug` shows the keys only.
#[derive(Clone, Default)]
pub struct Settings {
    values: Map<String, Value>,
}

impl Settings {
    /// No settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.values.insert(key.into(), value.into());
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// The settings `keys` of `server` found in the environment, each in the variable
    /// [`Settings::variable`] names (`GITHUB_TOKEN` for `token` of `github`); values are strings.
    pub fn from_env<'k>(server: &str, keys: impl IntoIterator<Item = &'k str>) -> Self {
        let mut settings = Settings::new();
        for key in keys {
            if let Ok(value) = std::env::var(Self::variable(server, key)) {
                settings.insert(key, value);
            }
        }
        settings
    }

    /// The environment variable holding `key` of `server`: both upper-cased, joined by `_`.
    pub fn variable(server: &str, key: &str) -> String {
        format!("{server}_{key}").to_uppercase().replace('-', "_")
    }

    /// Reads the settings into `factory`'s settings type and builds the server; what
    /// `mcp_registry!` calls for an entry written `Type => factory`.
    #[doc(hidden)]
    pub fn build<S, T, E>(
        &self,
        factory: impl FnOnce(T) -> Result<S, E>,
    ) -> Result<SharedServer, BuildError>
    where
        S: McpServer,
        T: DeserializeOwned,
        E: Into<Box<dyn StdError + Send + Sync>>,
    {
        let server = S::METADATA.name;
        let settings = serde_path_to_error::deserialize(Value::Object(self.values.clone()))
            .map_err(|source| BuildError::Settings { server, source })?;
        let built = factory(settings).map_err(|source| BuildError::Factory {
            server,
            source: source.into(),
        })?;
        Ok(SharedServer::new(built))
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

/// One setting a server reads, as its settings type declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The key.
    pub key: String,
    /// What it is, from the field's doc comment.
    pub description: Option<String>,
    /// Whether the server cannot be built without it.
    pub required: bool,
}

impl Setting {
    /// The settings of `factory`'s settings type, by key.
    #[doc(hidden)]
    pub fn of_factory<T: JsonSchema, S, E>(_factory: impl FnOnce(T) -> Result<S, E>) -> Vec<Self> {
        Self::of::<T>()
    }

    /// The settings a settings type declares: the properties of its JSON Schema.
    pub fn of<T: JsonSchema>() -> Vec<Self> {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|keys| keys.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        properties
            .iter()
            .map(|(key, property)| Setting {
                key: key.clone(),
                description: property
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                required: required.contains(&key.as_str()),
            })
            .collect()
    }
}

/// Why a server could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Its settings do not fit its settings type (a missing key, a value of the wrong type).
    #[error("the settings of server `{server}` are not valid")]
    Settings {
        /// The server's name.
        server: &'static str,
        /// Which setting, and what is wrong with it.
        #[source]
        source: serde_path_to_error::Error<serde_json::Error>,
    },
    /// Its factory refused the settings.
    #[error("server `{server}` could not be built")]
    Factory {
        /// The server's name.
        server: &'static str,
        /// The factory's error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
}
