//! Security headers on every response.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};
use send_app::App;

/// No inline script or style anywhere: GOV.UK Frontend's start-up runs from a file.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn headers(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut http::HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY,
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Links to the portal carry single-use tokens: never send them onwards.
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        http::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(
        headers,
        http::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    // Pages show personal data: never keep them in a shared cache. Assets say otherwise.
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    // A response that sets a cookie is never cacheable, whatever its route said:
    // a shared cache that kept it would hand the cookie to the next visitor.
    if headers.contains_key(header::SET_COOKIE) && is_cacheable(headers) {
        tracing::warn!("a cacheable response set a cookie; it is sent as no-store");
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if app.settings.base_url.scheme() == "https" {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Whether the response's `Cache-Control` lets any cache keep it.
fn is_cacheable(headers: &http::HeaderMap) -> bool {
    !headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|directive| directive.trim().eq_ignore_ascii_case("no-store"))
}
