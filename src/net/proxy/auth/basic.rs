//! Basic: `user:password` in base64 (RFC 7617), sent once.

use base64::Engine as _;

use crate::secret::Secret;

/// The `Proxy-Authorization` value for Basic.
pub(crate) fn authorization(user: &Secret, password: &Secret) -> Secret {
    let pair = format!("{}:{}", user.expose(), password.expose());
    Secret::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    ))
}
