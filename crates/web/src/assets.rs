//! The compiled GOV.UK Frontend and MOJ Frontend assets, built by `frontend/` into
//! `assets/dist` and embedded in the binary so one file runs the service, and
//! the portal's icon at `/favicon.ico`, where browsers look for it unasked.
//! Text assets are compressed (Brotli or gzip, as the browser accepts, by
//! tower-http's `CompressionLayer`, which also sends `Vary: Accept-Encoding`):
//! the stylesheet is 237 KB as written and about a tenth of that on the wire.

use std::fmt::Write as _;

use crate::routes::Routes;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderValue, StatusCode, header};
use rust_embed::RustEmbed;
use tower_http::compression::CompressionLayer;

#[derive(RustEmbed)]
#[folder = "assets/dist"]
struct Dist;

pub fn router() -> Routes {
    Routes::new()
        .route("/assets/{*path}", get(serve))
        .route("/favicon.ico", get(favicon))
        .map_router(|router| router.layer(CompressionLayer::new()))
}

/// `/assets/<path>?v=<hash>`: the hash changes when the file does.
pub fn versioned_url(path: &str) -> String {
    match Dist::get(path) {
        Some(file) => {
            let hash = hex_prefix(&file.metadata.sha256_hash());
            format!("/assets/{path}?v={hash}")
        }
        None => format!("/assets/{path}"),
    }
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(6).fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

async fn serve(Path(path): Path<String>) -> Response {
    file(&path, "public, max-age=31536000, immutable")
}

/// The icon at the address browsers ask for without being told, which has no
/// version, so it is kept for a day only.
async fn favicon() -> Response {
    file("favicon.ico", "public, max-age=86400")
}

fn file(path: &str, cache_control: &'static str) -> Response {
    let Some(file) = Dist::get(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let content_type = HeaderValue::from_str(mime.as_ref())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            ),
        ],
        file.data,
    )
        .into_response()
}
