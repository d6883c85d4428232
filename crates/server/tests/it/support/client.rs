//! An in-process HTTP client for the router, with a cookie jar.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{HeaderMap, Method, Request, StatusCode, header};
use tower::ServiceExt;

#[derive(Debug, Clone)]
pub struct TestClient {
    router: Router,
    cookies: BTreeMap<String, String>,
    /// The browser's User-Agent header, sent with every request.
    user_agent: Option<String>,
    /// The connection's peer, as a server over TCP would see it.
    peer: Option<SocketAddr>,
}

/// A response with its body read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The text of the page's `<h1>`, whitespace collapsed.
    pub fn h1(&self) -> String {
        let html = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse("h1").unwrap_or_else(|e| panic!("{e}"));
        html.select(&selector)
            .next()
            .map(|h| h.text().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The page's `<title>`, whitespace collapsed.
    pub fn title(&self) -> String {
        let html = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse("title").unwrap_or_else(|e| panic!("{e}"));
        html.select(&selector)
            .next()
            .map(|t| t.text().collect::<String>())
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl TestClient {
    pub fn new(router: Router) -> Self {
        Self {
            router,
            cookies: BTreeMap::new(),
            user_agent: None,
            peer: None,
        }
    }

    /// This client as a browser that sends `user_agent` from `peer`'s address.
    #[must_use]
    pub fn with_browser(mut self, user_agent: &str, peer: &str) -> Self {
        self.user_agent = Some(user_agent.to_owned());
        self.peer = Some(SocketAddr::new(
            peer.parse().unwrap_or_else(|e| panic!("{e}")),
            50_000,
        ));
        self
    }

    /// The value of the cookie `name` in the jar, if the client holds one.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Method::GET, path, Body::empty(), None).await
    }

    /// A request with `method` and no body.
    pub async fn send_as(&mut self, method: &str, path: &str) -> TestResponse {
        let method = Method::from_bytes(method.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        self.send(method, path, Body::empty(), None).await
    }

    /// Posts a form, URL-encoded, as a browser would.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Method::POST,
            path,
            Body::from(body),
            Some("application/x-www-form-urlencoded"),
        )
        .await
    }

    /// Posts a `multipart/form-data` form with files (field, file name, bytes),
    /// as a browser would.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let boundary = "send-portal-test-boundary-7d1f";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (field, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.send(Method::POST, path, Body::from(body), Some(&content_type))
            .await
    }

    /// Posts `body` exactly as given, bytes that need not be UTF-8 included, as
    /// `content_type`.
    pub async fn post_bytes(
        &mut self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> TestResponse {
        self.send(Method::POST, path, Body::from(body), Some(content_type))
            .await
    }

    /// A GET with extra request headers, its body as bytes (which may be
    /// compressed).
    pub async fn get_bytes(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut request = Request::builder().method(Method::GET).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("{e}"));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 64 * 1024 * 1024)
            .await
            .unwrap_or_else(|e| panic!("reading the body: {e}"));
        (parts.status, parts.headers, bytes.to_vec())
    }

    async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Body,
        content_type: Option<&str>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let jar = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(header::COOKIE, jar);
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        if let Some(user_agent) = &self.user_agent {
            request = request.header(header::USER_AGENT, user_agent);
        }
        if let Some(peer) = self.peer {
            request = request.extension(ConnectInfo(peer));
        }
        let request = request.body(body).unwrap_or_else(|e| panic!("{e}"));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let (parts, body) = response.into_parts();
        for value in parts.headers.get_all(header::SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let expired = text.to_ascii_lowercase().contains("max-age=0");
                if expired || value.is_empty() {
                    self.cookies.remove(name.trim());
                } else {
                    self.cookies
                        .insert(name.trim().to_owned(), value.trim().to_owned());
                }
            }
        }
        let bytes = axum::body::to_bytes(body, 64 * 1024 * 1024)
            .await
            .unwrap_or_else(|e| panic!("reading the body: {e}"));
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
