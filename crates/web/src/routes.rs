//! Routes that remember their paths: every area's `router()` registers its
//! routes through [`Routes`], which builds the axum router and keeps the list of
//! path patterns it was built from. axum cannot list a router's routes, and the
//! authorization matrix test must try every route the portal serves, from the
//! real registration rather than a hand-kept list ([`crate::route_paths`]).

use axum::Router;
use axum::routing::MethodRouter;
use send_app::App;

/// An axum router and the path patterns registered on it, in order.
#[derive(Debug, Default)]
pub struct Routes {
    router: Router<App>,
    paths: Vec<String>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    /// As [`Router::route`], remembering `path`.
    #[must_use]
    pub fn route(mut self, path: &str, method_router: MethodRouter<App>) -> Self {
        self.router = self.router.route(path, method_router);
        if !self.paths.iter().any(|p| p == path) {
            self.paths.push(path.to_owned());
        }
        self
    }

    /// As [`Router::merge`], keeping both lists of paths.
    #[must_use]
    pub fn merge(mut self, other: Self) -> Self {
        self.router = self.router.merge(other.router);
        for path in other.paths {
            if !self.paths.contains(&path) {
                self.paths.push(path);
            }
        }
        self
    }

    /// As [`Router::layer`]: the layer wraps every route registered so far.
    #[must_use]
    pub fn map_router(mut self, f: impl FnOnce(Router<App>) -> Router<App>) -> Self {
        self.router = f(self.router);
        self
    }

    /// The path patterns, in the order they were registered.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub fn into_router(self) -> Router<App> {
        self.router
    }
}

#[cfg(test)]
mod tests {
    use axum::routing::{get, post};

    use super::*;

    async fn nothing() {}

    #[test]
    fn every_registered_path_is_listed_once_in_order() {
        let routes = Routes::new()
            .route("/a", get(nothing))
            .route("/a", post(nothing))
            .merge(Routes::new().route("/b/{id}", get(nothing)));
        assert_eq!(routes.paths(), ["/a", "/b/{id}"]);
    }
}
