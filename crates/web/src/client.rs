//! Who is on the other end of a request, for the audit log, the sign-in
//! throttle and My Account's list of devices.
//!
//! The client is the connection's peer, unless the peer is one of the configured
//! trusted proxies (`SEND_PORTAL_TRUSTED_PROXIES`): then it is the nearest address
//! in `X-Forwarded-For`, read from the right, that is not itself a trusted proxy.
//! Addresses further left were written by the client and cannot be believed.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use http::HeaderMap;
use http::request::Parts;
use ipnet::IpNet;
use send_app::App;
use send_app::audit::Source;

/// The client's address, when the server knows it. (In-process tests have none.)
#[derive(Debug, Clone)]
pub struct ClientAddress(pub Source);

/// The device the request comes from, named from its User-Agent header
/// (`user_agent::device`): "Firefox on Windows", or `None` if unknown.
#[derive(Debug, Clone)]
pub struct ClientDevice(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientDevice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .and_then(crate::user_agent::device),
        ))
    }
}

fn trusted(address: IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(&address))
}

/// The client's address given the connection's peer, the request's headers and the
/// trusted proxies.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    proxies: &[IpNet],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted(peer, proxies) {
        return Some(peer);
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    for hop in forwarded.iter().rev() {
        let Ok(address) = hop.parse::<IpAddr>() else {
            // A malformed entry: nothing to its left can be trusted either.
            return Some(peer);
        };
        if !trusted(address, proxies) {
            return Some(address);
        }
    }
    Some(peer)
}

impl FromRequestParts<App> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let address = client_address(peer, &parts.headers, &app.settings.trusted_proxies);
        Ok(Self(Source(address.map(|a| a.to_string()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("x-forwarded-for", value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let forged = headers(&["203.0.113.9"]);
        assert_eq!(
            client_address(Some(ip("198.51.100.7")), &forged, &[]),
            Some(ip("198.51.100.7"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_forwarded_address_is_the_client() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // The client forged the first entry; the proxy appended the real address.
        let chain = headers(&["1.2.3.4, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &chain, &proxies),
            Some(ip("203.0.113.9"))
        );
        // No header: the proxy itself.
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &HeaderMap::new(), &proxies),
            Some(ip("10.0.0.1"))
        );
        // Garbage stops the walk.
        assert_eq!(
            client_address(
                Some(ip("10.0.0.1")),
                &headers(&["203.0.113.9, nonsense"]),
                &proxies
            ),
            Some(ip("10.0.0.1"))
        );
        // A peer that is not a trusted proxy is believed over any header.
        assert_eq!(
            client_address(Some(ip("192.0.2.1")), &chain, &proxies),
            Some(ip("192.0.2.1"))
        );
    }
}
