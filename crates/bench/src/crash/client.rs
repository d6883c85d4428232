//! The harness's HTTP client: a signed-in caseworker's requests, as a browser
//! without script makes them (forms, multipart uploads, redirects not followed).

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use send_app::SystemClock;
use send_domain::Clock;

use crate::council::{AUTHENTICATOR_KEY, PASSWORD, caseworker_email};

/// Requests to one server, with one session's cookie.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

/// A signed-in caseworker: the session's cookie and its form token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// An answer: its status, body and the session cookie if it set one.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub cookie: Option<String>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Client {
    pub fn new(base: &str) -> Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            cookie: String::new(),
        })
    }

    /// The same client sending `cookie`.
    pub fn with_cookie(&self, cookie: &str) -> Self {
        Self {
            cookie: cookie.to_owned(),
            ..self.clone()
        }
    }

    pub async fn get(&self, path: &str) -> Result<Answer> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await?;
        Self::read(response).await
    }

    /// Posts a form (`application/x-www-form-urlencoded`).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Result<Answer> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?;
        Self::read(response).await
    }

    /// Posts `multipart/form-data`: the text fields, then a file named `name`
    /// in the field `file` if given.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Result<Answer> {
        const BOUNDARY: &str = "crash-check-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
                     filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await?;
        Self::read(response).await
    }

    async fn read(response: reqwest::Response) -> Result<Answer> {
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("session"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        Ok(Answer {
            status,
            body: response.bytes().await?.to_vec(),
            cookie,
        })
    }
}

/// The page's form token.
fn csrf(html: &str) -> Result<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).ok_or_else(|| anyhow!("no csrf_token"))? + marker.len();
    let end = html[start..]
        .find('"')
        .ok_or_else(|| anyhow!("bad csrf_token"))?;
    Ok(html[start..start + end].to_owned())
}

/// Signs the generated council's caseworker `n` in: password, then the
/// authenticator's code (each caseworker can sign in once in 30 seconds).
pub async fn sign_in_caseworker(base: &str, n: usize) -> Result<Session> {
    let client = Client::new(base)?;
    let page = client.get("/sign-in").await?;
    let cookie = page.cookie.clone().context("no session cookie")?;
    let client = client.with_cookie(&cookie);
    let token = csrf(&page.text())?;
    let email = caseworker_email(n);
    let answer = client
        .post_form(
            "/sign-in",
            &[
                ("csrf_token", &token),
                ("email", &email),
                ("password", PASSWORD),
            ],
        )
        .await?;
    let client = client.with_cookie(answer.cookie.as_deref().unwrap_or(&cookie));
    let secret = totp_rs::Secret::try_from_base32(AUTHENTICATOR_KEY)
        .map_err(|e| anyhow!("the authenticator key: {e:?}"))?;
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .map_err(|e| anyhow!("the authenticator: {e:?}"))?;
    let now = u64::try_from(SystemClock.now().unix_timestamp())?;
    let step = client.get("/sign-in/authenticator").await?;
    let token = csrf(&step.text())?;
    let answer = client
        .post_form(
            "/sign-in/authenticator",
            &[
                ("csrf_token", &token),
                ("code", &totp.generate(now).to_string()),
            ],
        )
        .await?;
    if answer.status != 303 {
        bail!("{email}: the authenticator step answered {}", answer.status);
    }
    let cookie = answer.cookie.unwrap_or(client.cookie);
    let home = Client::new(base)?
        .with_cookie(&cookie)
        .get("/back-office")
        .await?;
    if home.status != 200 {
        bail!("{email}: the back office answered {}", home.status);
    }
    Ok(Session {
        csrf: csrf(&home.text())?,
        cookie,
    })
}
