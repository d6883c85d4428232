//! Typed path parameters: what a route's `{…}` segments name is parsed at the
//! edge, so a handler is handed a `ChildId` or a `LinkToken`, never raw text.
//!
//! [`IdPath<T>`] parses the route's parameters into `T`: one id
//! (`IdPath<ChildId>` for `/children/{id}`) or a tuple in the route's order
//! (`IdPath<(ChildId, ContactId)>` for `/children/{id}/contacts/{contact}/remove`).
//! The secret of a single-use link is a [`LinkToken`] (`IdPath<LinkToken>`); a
//! form's page or question is a [`Key`] (`IdPath<(FormId, Key<QuestionKey>)>`),
//! parsed by the domain's `PageKey::parse` / `QuestionKey::parse`.
//! Anything that does not parse is the styled 404 page, the same one an unknown
//! address gets: a mistyped or made-up address is a page that does not exist.

use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use http::request::Parts;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer};

use crate::errors::WebError;

/// The route's parameters, parsed into `T` (an id, a [`LinkToken`], or a tuple
/// of them); the styled 404 for anything else.
#[derive(Debug, Clone, Copy)]
pub struct IdPath<T>(pub T);

impl<S, T> FromRequestParts<S> for IdPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(refusal(rejection)),
        }
    }
}

/// A parameter that does not parse is a page that does not exist. A handler
/// asking for parameters its route does not have is a mistake in the code.
fn refusal(rejection: PathRejection) -> WebError {
    match rejection {
        PathRejection::FailedToDeserializePathParams(failed)
            if !matches!(
                failed.kind(),
                ErrorKind::WrongNumberOfParameters { .. } | ErrorKind::UnsupportedType { .. }
            ) =>
        {
            WebError::NotFound
        }
        other => WebError::Internal(Box::new(other)),
    }
}

/// The secret of a single-use link (an invitation, a staff set-up link, a
/// password reset) as it appears in the address: 64 lower-case hex characters,
/// the shape `send_app::tokens::SecretToken` makes. Its `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkToken(String);

impl LinkToken {
    /// The token, if `presented` has the shape of one.
    pub fn parse(presented: &str) -> Option<Self> {
        send_app::tokens::is_well_formed(presented).then(|| Self(presented.to_owned()))
    }

    /// The token as it goes into a link (and is looked up by its hash).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(..)")
    }
}

impl<'de> Deserialize<'de> for LinkToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let presented = String::deserialize(deserializer)?;
        Self::parse(&presented).ok_or_else(|| de::Error::custom("not a link token"))
    }
}

/// A form's page or question key as it appears in the address, parsed by the
/// domain's own rule (a lower-case letter, then letters, digits and `_`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<K>(pub K);

/// A key type the address may carry.
pub trait ParseKey: Sized {
    fn parse_key(presented: &str) -> Option<Self>;
}

impl ParseKey for send_domain::forms::PageKey {
    fn parse_key(presented: &str) -> Option<Self> {
        Self::parse(presented)
    }
}

impl ParseKey for send_domain::forms::QuestionKey {
    fn parse_key(presented: &str) -> Option<Self> {
        Self::parse(presented)
    }
}

impl<'de, K: ParseKey> Deserialize<'de> for Key<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let presented = String::deserialize(deserializer)?;
        K::parse_key(&presented)
            .map(Key)
            .ok_or_else(|| de::Error::custom("not a key"))
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::response::IntoResponse;
    use axum::routing::get;
    use http::{Request, StatusCode};
    use send_domain::{ChildId, ContactId};
    use tower::ServiceExt;

    use super::*;
    use crate::errors::ErrorPage;

    const CHILD: &str = "0190f3a4-5b6c-7d8e-9f00-112233445566";
    const CONTACT: &str = "0190f3a4-5b6c-7d8e-9f00-665544332211";

    async fn one(IdPath(child): IdPath<ChildId>) -> String {
        child.to_string()
    }

    async fn two(IdPath((child, contact)): IdPath<(ChildId, ContactId)>) -> String {
        format!("{child} {contact}")
    }

    async fn token(IdPath(token): IdPath<LinkToken>) -> String {
        token.as_str().to_owned()
    }

    async fn question(
        IdPath((child, Key(question))): IdPath<(ChildId, Key<send_domain::forms::QuestionKey>)>,
    ) -> String {
        format!("{child} {question}")
    }

    /// A route whose handler asks for more parameters than the route has.
    async fn mismatched(IdPath((child, _)): IdPath<(ChildId, ContactId)>) -> String {
        child.to_string()
    }

    fn routes() -> Router {
        Router::new()
            .route("/children/{id}", get(one))
            .route("/children/{id}/contacts/{contact}", get(two))
            .route("/links/{token}", get(token))
            .route("/children/{id}/questions/{question}", get(question))
            .route("/mismatched/{id}", get(mismatched))
    }

    /// The status, the error page the response is marked with, and the body.
    async fn get_path(path: &str) -> (StatusCode, Option<ErrorPage>, String) {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = routes().oneshot(request).await.unwrap().into_response();
        let page = response.extensions().get::<ErrorPage>().copied();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        (status, page, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn ids_and_tokens_parse_into_their_types() {
        assert_eq!(
            get_path(&format!("/children/{CHILD}")).await,
            (StatusCode::OK, None, CHILD.to_owned())
        );
        assert_eq!(
            get_path(&format!("/children/{CHILD}/contacts/{CONTACT}")).await,
            (StatusCode::OK, None, format!("{CHILD} {CONTACT}"))
        );
        let secret = "0123456789abcdef".repeat(4);
        assert_eq!(
            get_path(&format!("/links/{secret}")).await,
            (StatusCode::OK, None, secret)
        );
        assert_eq!(
            get_path(&format!("/children/{CHILD}/questions/q12")).await,
            (StatusCode::OK, None, format!("{CHILD} q12"))
        );
    }

    #[tokio::test]
    async fn anything_else_is_the_styled_404() {
        for path in [
            "/children/not-an-id".to_owned(),
            "/children/..%2F..%2Fetc%2Fpasswd".to_owned(),
            "/children/%FF".to_owned(),
            format!("/children/{CHILD}/contacts/nope"),
            format!("/children/nope/contacts/{CONTACT}"),
            "/links/%0D%0A".to_owned(),
            "/links/guess".to_owned(),
            format!("/links/{}", "A".repeat(64)),
            format!("/links/{}", "a".repeat(65)),
            format!("/children/{CHILD}/questions/Q1"),
            format!("/children/{CHILD}/questions/1q"),
            format!("/children/{CHILD}/questions/q%2F1"),
            format!("/children/{CHILD}/questions/{}", "q".repeat(41)),
        ] {
            let (status, page, body) = get_path(&path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                page,
                Some(ErrorPage::NotFound),
                "{path}: marked for the error layer"
            );
            assert!(body.is_empty(), "{path}: no plain-text rejection: {body}");
        }
    }

    #[tokio::test]
    async fn a_handler_that_does_not_match_its_route_is_a_server_error() {
        let (status, page, _) = get_path(&format!("/mismatched/{CHILD}")).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(page, Some(ErrorPage::Internal));
    }

    #[test]
    fn a_token_hides_its_value_when_debugged() {
        let secret = "0123456789abcdef".repeat(4);
        let token = LinkToken::parse(&secret).unwrap();
        assert_eq!(token.as_str(), secret);
        assert!(!format!("{token:?}").contains(&secret));
        assert_eq!(LinkToken::parse("\r\n"), None);
    }
}
