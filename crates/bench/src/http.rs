//! The benchmarks' HTTP client: a signed-in person's requests to a running
//! portal, as a browser without script makes them (forms, multipart uploads,
//! redirects not followed), and signing the generated council's people in
//! through the real two-step flow.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use send_app::SystemClock;
use send_domain::Clock;

use crate::council::{AUTHENTICATOR_KEY, PASSWORD, caseworker_email};

/// Requests to one server, with one session's cookie. Clones share one
/// connection pool.
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
    pub fn text(&self) -> String {
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

    /// The portal's address.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The same client sending `cookie`.
    #[must_use]
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
pub fn csrf(html: &str) -> Result<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).ok_or_else(|| anyhow!("no csrf_token"))? + marker.len();
    let end = html[start..]
        .find('"')
        .ok_or_else(|| anyhow!("bad csrf_token"))?;
    Ok(html[start..start + end].to_owned())
}

/// The value of the first hidden field `name` on the page.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The first link on the page starting with `prefix`, up to its closing quote.
pub fn link(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(&format!("href=\"{prefix}"))? + "href=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].replace("&amp;", "&"))
}

/// Signs the generated council's caseworker `n` in: password, then the
/// authenticator's code (each caseworker can sign in once in 30 seconds).
pub async fn sign_in_caseworker(base: &str, n: usize) -> Result<Session> {
    let email = caseworker_email(n);
    let (client, _) = password_step(&Client::new(base)?, &email).await?;
    let secret = totp_rs::Secret::try_from_base32(AUTHENTICATOR_KEY)
        .map_err(|e| anyhow!("the authenticator key: {e:?}"))?;
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .map_err(|e| anyhow!("the authenticator: {e:?}"))?;
    let now = u64::try_from(SystemClock.now().unix_timestamp())?;
    let client = second_step(
        &client,
        &email,
        "/sign-in/authenticator",
        &totp.generate(now).to_string(),
    )
    .await?;
    let home = client.get("/back-office").await?;
    if home.status != 200 {
        bail!("{email}: the back office answered {}", home.status);
    }
    Ok(Session {
        csrf: csrf(&home.text())?,
        cookie: client.cookie,
    })
}

/// Signs a family's or professional's account in: password, then the code the
/// portal emailed, read from its file mail folder (`SEND_PORTAL_MAIL=file`,
/// `DATA_DIR/mail`). The client given is cloned, so its connection pool is
/// shared.
pub async fn sign_in_by_email(client: &Client, mail: &Path, email: &str) -> Result<Client> {
    let before = mail_files(mail);
    let (client, _) = password_step(client, email).await?;
    let mut code = None;
    // The portal's worker writes the email a moment after the answer.
    for _ in 0..100 {
        code = emailed_code(mail, email, &before);
        if code.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let code = code.with_context(|| format!("no sign-in code for {email} in the mail folder"))?;
    second_step(&client, email, "/sign-in/code", &code).await
}

/// The first step: the sign-in page, then the email address and password.
async fn password_step(client: &Client, email: &str) -> Result<(Client, String)> {
    let page = client.with_cookie("").get("/sign-in").await?;
    let cookie = page.cookie.clone().context("no session cookie")?;
    let client = client.with_cookie(&cookie);
    let token = csrf(&page.text())?;
    let answer = client
        .post_form(
            "/sign-in",
            &[
                ("csrf_token", &token),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await?;
    if answer.status != 303 {
        bail!("{email}: the password step answered {}", answer.status);
    }
    let cookie = answer.cookie.unwrap_or(cookie);
    Ok((client.with_cookie(&cookie), token))
}

/// The second step: the code, at `path`; the signed-in client.
async fn second_step(client: &Client, email: &str, path: &str, code: &str) -> Result<Client> {
    let step = client.get(path).await?;
    let token = csrf(&step.text())?;
    let answer = client
        .post_form(path, &[("csrf_token", &token), ("code", code)])
        .await?;
    if answer.status != 303 {
        let page = answer.text();
        let problem = page
            .split("govuk-error-summary__list")
            .nth(1)
            .map_or("", |rest| {
                let item = rest.split("</a>").next().unwrap_or("");
                item.rsplit('>').next().unwrap_or("")
            })
            .to_owned();
        bail!("{email}: {path} answered {} ({problem})", answer.status);
    }
    Ok(client.with_cookie(answer.cookie.as_deref().unwrap_or(&client.cookie)))
}

/// The sign-in code emailed to `email` in the newest file of the mail folder
/// not in `before`.
fn emailed_code(mail: &Path, email: &str, before: &[PathBuf]) -> Option<String> {
    let mut newest: Option<(std::time::SystemTime, String)> = None;
    for file in mail_files(mail) {
        if before.contains(&file) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if !text
            .lines()
            .any(|l| l.starts_with("To:") && l.contains(email))
        {
            continue;
        }
        let modified = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
        // "Your code to sign in is 123456" (the plain-text part).
        let after = text.split("sign in is ").nth(1)?;
        let code: String = after.chars().take_while(char::is_ascii_digit).collect();
        if newest.as_ref().is_none_or(|(at, _)| modified > *at) {
            newest = Some((modified, code));
        }
    }
    newest.map(|(_, code)| code)
}

/// Every file under the mail folder.
fn mail_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(mail_files(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}
