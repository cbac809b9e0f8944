//! Users' platform tokens encrypted at rest: XChaCha20-Poly1305 under a key from the
//! configuration, with a random nonce per token, bound to the row it belongs to (its user and
//! provider as associated data, so a token copied to another row does not decrypt). Keys rotate:
//! the first key encrypts, every key decrypts, and each ciphertext names its key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// What a stored token starts with: the format's version.
const PREFIX: &str = "v1.";

/// The keys tokens are encrypted with.
pub struct TokenCipher {
    /// Each key with its id (the first bytes of its digest); the first encrypts.
    keys: Vec<([u8; 4], XChaCha20Poly1305)>,
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCipher")
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

/// Why a token could not be decrypted.
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    /// A key is not 32 bytes in base64.
    #[error("a token key must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`)")]
    BadKey,
    /// No key decrypts it (the key it names is not configured, or it was tampered with).
    #[error("a stored token cannot be decrypted with the configured keys")]
    Undecryptable,
}

impl TokenCipher {
    /// The cipher with `keys` (base64, 32 bytes each); the first encrypts.
    pub fn new(keys: &[SecretString]) -> Result<Self, CipherError> {
        let keys = keys
            .iter()
            .map(|key| {
                let bytes = STANDARD
                    .decode(key.expose_secret().trim())
                    .map_err(|_| CipherError::BadKey)?;
                let cipher =
                    XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| CipherError::BadKey)?;
                let digest = Sha256::digest(&bytes);
                Ok(([digest[0], digest[1], digest[2], digest[3]], cipher))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(CipherError::BadKey);
        }
        Ok(TokenCipher { keys })
    }

    /// `token` encrypted for the row `row` (e.g. user and provider).
    pub fn seal(&self, token: &SecretString, row: &str) -> String {
        let (id, cipher) = &self.keys[0];
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("the system's random source");
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: token.expose_secret().as_bytes(),
                    aad: row.as_bytes(),
                },
            )
            .expect("encryption of a token in memory");
        let mut bytes = Vec::with_capacity(4 + 24 + sealed.len());
        bytes.extend_from_slice(id);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}{}", STANDARD.encode(bytes))
    }

    /// The token `sealed` holds, if it was sealed for `row` under one of the keys.
    pub fn open(&self, sealed: &str, row: &str) -> Result<SecretString, CipherError> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|encoded| STANDARD.decode(encoded).ok())
            .ok_or(CipherError::Undecryptable)?;
        let (id, rest) = bytes
            .split_at_checked(4)
            .ok_or(CipherError::Undecryptable)?;
        let (nonce, sealed) = rest
            .split_at_checked(24)
            .ok_or(CipherError::Undecryptable)?;
        let nonce = XNonce::try_from(nonce).map_err(|_| CipherError::Undecryptable)?;
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(key_id, _)| key_id == id)
            .ok_or(CipherError::Undecryptable)?;
        let token = cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: row.as_bytes(),
                },
            )
            .map_err(|_| CipherError::Undecryptable)?;
        String::from_utf8(token)
            .map(SecretString::from)
            .map_err(|_| CipherError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretString {
        SecretString::from(STANDARD.encode([byte; 32]))
    }

    #[test]
    fn a_token_opens_only_for_its_row_and_never_shows_in_the_clear() {
        let cipher = TokenCipher::new(&[key(1)]).unwrap();
        let token = SecretString::from("gho_secret");
        let sealed = cipher.seal(&token, "ana\0github");
        assert!(sealed.starts_with("v1.") && !sealed.contains("gho_secret"));
        assert_ne!(
            sealed,
            cipher.seal(&token, "ana\0github"),
            "a fresh nonce each time"
        );
        let opened = cipher.open(&sealed, "ana\0github").unwrap();
        assert_eq!(opened.expose_secret(), "gho_secret");
        assert!(cipher.open(&sealed, "bo\0github").is_err(), "another row");
        let mut tampered = sealed.into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(cipher.open(&tampered, "ana\0github").is_err(), "tampered");
        assert!(
            cipher.open("gho_secret", "ana\0github").is_err(),
            "not sealed"
        );
    }

    #[test]
    fn keys_rotate_the_first_seals_every_one_opens() {
        let old = TokenCipher::new(&[key(1)]).unwrap();
        let sealed_before = old.seal(&SecretString::from("before"), "row");
        let rotated = TokenCipher::new(&[key(2), key(1)]).unwrap();
        let sealed_after = rotated.seal(&SecretString::from("after"), "row");
        assert_eq!(
            rotated.open(&sealed_before, "row").unwrap().expose_secret(),
            "before"
        );
        assert_eq!(
            rotated.open(&sealed_after, "row").unwrap().expose_secret(),
            "after"
        );
        assert!(
            old.open(&sealed_after, "row").is_err(),
            "sealed under a key it lacks"
        );
        let retired = TokenCipher::new(&[key(2)]).unwrap();
        assert!(retired.open(&sealed_before, "row").is_err());
    }

    #[test]
    fn its_debug_output_counts_the_keys_and_shows_none() {
        let cipher = TokenCipher::new(&[key(1), key(2)]).unwrap();
        assert_eq!(format!("{cipher:?}"), "TokenCipher { keys: 2, .. }");
    }

    #[test]
    fn anything_short_of_a_sealed_token_is_refused_without_a_panic() {
        let cipher = TokenCipher::new(&[key(1)]).unwrap();
        for length in [0, 3, 4, 27, 28, 43] {
            let sealed = format!("v1.{}", STANDARD.encode(vec![0u8; length]));
            assert!(cipher.open(&sealed, "row").is_err(), "{length} bytes");
        }
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        for bad in ["", "not base64!", &STANDARD.encode([0u8; 16])] {
            let error = TokenCipher::new(&[SecretString::from(bad.to_owned())]).unwrap_err();
            assert!(matches!(error, CipherError::BadKey), "{bad}");
        }
        assert!(TokenCipher::new(&[]).is_err());
    }
}
