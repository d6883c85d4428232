//! Sessions: tower-sessions keeps the cookie and the per-request session; this
//! adapter keeps the records in our own store, with only a hash of each id, and
//! judges idle and absolute timeouts by the application's clock.

use async_trait::async_trait;
use send_app::App;
use send_app::tokens::hash_token;
use send_domain::{SessionRecord, SessionTimeouts, SignedInFrom, TokenHash, UserId};
use send_store::StoreError;
use serde::Deserialize;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

/// The session cookie's name over plain http (the local demo).
pub const COOKIE_NAME: &str = "send_portal_session";

/// The session cookie's name when the portal is served over https. Browsers take
/// a `__Host-` cookie only if it is `Secure`, has `Path=/` and no `Domain`, so
/// no other host (a subdomain, or a page over http) can set or replace it.
pub const HOST_COOKIE_NAME: &str = "__Host-send_portal_session";

/// The session key holding the signed-in account's id.
pub const ACCOUNT_KEY: &str = "account_id";

/// The session key holding where the session signed in from
/// ([`SignedInFrom`]), kept in the session's own columns too for My Account.
pub const SIGNED_IN_FROM_KEY: &str = "signed_in_from";

/// The session cookie's name for a portal at `base_url`: the `__Host-` name over
/// https, the plain one over http (where a browser would refuse a `__Host-` cookie).
pub fn cookie_name(base_url: &url::Url) -> &'static str {
    if base_url.scheme() == "https" {
        HOST_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// The session layer for this portal. Over https the cookie is `Secure`, with
/// `Path=/` and no `Domain` (the `__Host-` prefix's conditions).
pub fn layer(app: &App) -> SessionManagerLayer<DbSessionStore> {
    let secure = app.settings.base_url.scheme() == "https";
    SessionManagerLayer::new(DbSessionStore {
        app: app.clone(),
        timeouts: app.settings.session_timeouts,
    })
    .with_name(cookie_name(&app.settings.base_url))
    .with_path("/")
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(secure)
    // A cookie for the browser session; the server ends idle and old sessions.
    .with_expiry(Expiry::OnSessionEnd)
    // A request that changes nothing in the session writes nothing; `load`
    // records activity at most once a minute for the idle timeout.
    .with_always_save(false)
}

/// Session records in the portal's database.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    app: App,
    timeouts: SessionTimeouts,
}

fn id_hash(id: &Id) -> TokenHash {
    hash_token(&id.to_string())
}

/// The stored hash of this request's session id, if it has one yet.
pub fn session_id_hash(session: &tower_sessions::Session) -> Option<TokenHash> {
    session.id().map(|id| id_hash(&id))
}

fn backend(err: impl std::fmt::Display) -> Error {
    Error::Backend(err.to_string())
}

impl DbSessionStore {
    fn to_stored(&self, record: &Record) -> Result<SessionRecord> {
        let now = self.app.clock.now();
        let account_id = record
            .data
            .get(ACCOUNT_KEY)
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<UserId>().ok());
        let signed_in_from = record
            .data
            .get(SIGNED_IN_FROM_KEY)
            .and_then(|v| SignedInFrom::deserialize(v).ok())
            .unwrap_or_default();
        Ok(SessionRecord {
            id_hash: id_hash(&record.id),
            account_id,
            data: serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?,
            created_at: now,
            last_seen_at: now,
            signed_in_from,
        })
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let stored = self.to_stored(record)?;
            match self.app.store.insert_session(&stored).await {
                Ok(()) => return Ok(()),
                // A clash of 128-bit random ids: draw another.
                Err(StoreError::Conflict { .. }) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let stored = self.to_stored(record)?;
        // An ended session (signed out elsewhere) is not brought back.
        self.app
            .store
            .update_session(&stored)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let hash = id_hash(id);
        let Some(stored) = self.app.store.load_session(&hash).await.map_err(backend)? else {
            return Ok(None);
        };
        let now = self.app.clock.now();
        if !self.timeouts.is_live(&stored, now) {
            self.app
                .store
                .delete_session(&hash)
                .await
                .map_err(backend)?;
            return Ok(None);
        }
        let data = serde_json::from_str(&stored.data).map_err(|e| Error::Decode(e.to_string()))?;
        let mut last_seen_at = stored.last_seen_at;
        if SessionTimeouts::needs_touch(&stored, now) {
            // Only the last activity: a change another request made to the
            // session's data meanwhile stays. An ended session stays ended.
            if !self
                .app
                .store
                .touch_session(&hash, now)
                .await
                .map_err(backend)?
            {
                return Ok(None);
            }
            last_seen_at = now;
        }
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: last_seen_at + self.timeouts.idle,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.app
            .store
            .delete_session(&id_hash(id))
            .await
            .map_err(backend)
    }
}
