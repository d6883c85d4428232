//! Who is on the other end of a request, for the audit log.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;
use send_app::audit::Source;

/// The peer address of the connection, when the server knows it. (In-process
/// tests have none.) A trusted proxy's forwarded-for header is not read yet.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub Source);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        Ok(Self(Source(peer)))
    }
}
