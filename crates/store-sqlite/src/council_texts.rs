//! The council's own texts on SQLite (reads; the writes are in
//! `writes::council_texts`).

use async_trait::async_trait;
use send_domain::council_texts::CouncilText;
use send_store::{CouncilTextStore, StoreResult};
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::convert::from_sqlx;
use crate::rows::text;

fn council_text_from_row(row: &SqliteRow) -> StoreResult<CouncilText> {
    Ok(CouncilText {
        key: text(row, "key")?,
        value: text(row, "value")?,
    })
}

#[async_trait]
impl CouncilTextStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.council_texts", skip_all)]
    async fn council_texts(&self) -> StoreResult<Vec<CouncilText>> {
        let rows = sqlx::query("SELECT key, value FROM council_texts ORDER BY key")
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(council_text_from_row).collect()
    }
}
