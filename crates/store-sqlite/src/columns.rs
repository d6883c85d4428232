//! A row's columns by name, whichever driver read it: sqlx's `SqliteRow` or a
//! rusqlite row ([`NamedRow`], for the reads moved to rusqlite,
//! `blocking_reads`), so the rows become domain values by the same functions
//! (`rows`).

use std::collections::HashMap;

use send_store::StoreResult;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::convert::{corrupt, from_sqlx, other};

/// The values of a row by column name, as SQLite keeps them: text or an
/// integer, either of which may be `NULL`.
pub(crate) trait Columns {
    fn optional_text(&self, name: &str) -> StoreResult<Option<String>>;
    fn optional_integer(&self, name: &str) -> StoreResult<Option<i64>>;

    /// A column that must not be `NULL`, as text.
    fn text(&self, name: &str) -> StoreResult<String> {
        self.optional_text(name)?
            .ok_or_else(|| corrupt(format_args!("{name} is NULL")))
    }

    /// A column that must not be `NULL`, as an integer.
    fn integer(&self, name: &str) -> StoreResult<i64> {
        self.optional_integer(name)?
            .ok_or_else(|| corrupt(format_args!("{name} is NULL")))
    }
}

impl Columns for SqliteRow {
    fn optional_text(&self, name: &str) -> StoreResult<Option<String>> {
        self.try_get(name).map_err(from_sqlx)
    }

    fn optional_integer(&self, name: &str) -> StoreResult<Option<i64>> {
        self.try_get(name).map_err(from_sqlx)
    }
}

/// A rusqlite row with its statement's columns by name: rusqlite finds a name
/// by comparing it with each column's in turn, which for a wide row read by
/// name column after column cost more than the query; the map is made once a
/// statement ([`query_rows`]).
pub(crate) struct NamedRow<'r> {
    row: &'r rusqlite::Row<'r>,
    columns: &'r HashMap<String, usize>,
}

impl NamedRow<'_> {
    fn index(&self, name: &str) -> StoreResult<usize> {
        self.columns
            .get(name)
            .copied()
            .ok_or_else(|| corrupt(format_args!("no column {name}")))
    }
}

impl Columns for NamedRow<'_> {
    fn optional_text(&self, name: &str) -> StoreResult<Option<String>> {
        self.row.get(self.index(name)?).map_err(other)
    }

    fn optional_integer(&self, name: &str) -> StoreResult<Option<i64>> {
        self.row.get(self.index(name)?).map_err(other)
    }
}

/// The placeholders `$1`, `$2`, … given `values` in order, by name: SQLite
/// numbers named placeholders in the order they first appear in the text,
/// which is not always their number (the store's statements are shared in
/// shape with PostgreSQL's, whose `$2` may come before its `$1`).
pub(crate) fn numbered<'v>(
    values: &'v [&'v dyn rusqlite::ToSql],
) -> Vec<(&'static str, &'v dyn rusqlite::ToSql)> {
    const NAMES: [&str; 9] = ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9"];
    NAMES.iter().copied().zip(values.iter().copied()).collect()
}

/// Runs the statement `sql` (cached on the connection) with `params`, each row
/// made a value by `from_row`.
pub(crate) fn query_rows<T>(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    mut from_row: impl FnMut(&NamedRow<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut statement = tx.prepare_cached(sql).map_err(other)?;
    let mut columns = HashMap::new();
    for (i, name) in statement.column_names().into_iter().enumerate() {
        // The first of two columns of one name, as sqlx and rusqlite find it.
        columns.entry(name.to_owned()).or_insert(i);
    }
    let mut rows = statement.query(params).map_err(other)?;
    let mut values = Vec::new();
    while let Some(row) = rows.next().map_err(other)? {
        values.push(from_row(&NamedRow {
            row,
            columns: &columns,
        })?);
    }
    Ok(values)
}

/// The first row `sql` finds with `params`, made a value by `from_row`, if any.
pub(crate) fn query_first<T>(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
    from_row: impl FnMut(&NamedRow<'_>) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    Ok(query_rows(tx, sql, params, from_row)?.into_iter().next())
}

/// The count a statement of one row counts (`SELECT count(*) AS n …`).
pub(crate) fn count(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<u64> {
    let counts = query_rows(tx, sql, params, |row| row.integer("n"))?;
    let n = counts.first().copied().unwrap_or_default();
    u64::try_from(n).map_err(|_| corrupt(format_args!("a count of {n}")))
}

/// Fills in what `owners` keep in a table of their own (a document's shares,
/// a thread's participants, a message's attachments), one statement for them
/// all in the caller's read: `sql` reads the rows of the owners whose ids
/// (`id_of`) are in the JSON array `$1` ([`id_list`]); each row goes to `fill`
/// with the owner `owner_of` names. A row of an owner not asked for is
/// corrupt, named by `what`.
pub(crate) fn fill_owners<O, K>(
    tx: &rusqlite::Transaction<'_>,
    owners: &mut [O],
    id_of: impl Fn(&O) -> K,
    sql: &str,
    what: &str,
    owner_of: impl Fn(&NamedRow<'_>) -> StoreResult<K>,
    mut fill: impl FnMut(&mut O, &NamedRow<'_>) -> StoreResult<()>,
) -> StoreResult<()>
where
    K: std::hash::Hash + Eq + std::fmt::Display,
{
    let ids = id_list(owners.iter().map(&id_of));
    let index: HashMap<K, usize> = owners
        .iter()
        .enumerate()
        .map(|(i, owner)| (id_of(owner), i))
        .collect();
    query_rows(tx, sql, numbered(&[&ids]).as_slice(), |row| {
        let id = owner_of(row)?;
        let i = *index
            .get(&id)
            .ok_or_else(|| corrupt(format_args!("{what} of {id}, not asked for")))?;
        fill(&mut owners[i], row)
    })?;
    Ok(())
}

/// `ids` as one JSON array of text, to bind as one value to `… IN (SELECT value
/// FROM json_each($1))`: a read of the rows of any number of ids is then one
/// statement, prepared and cached once, never over SQLite's limit on bound
/// values.
pub(crate) fn id_list<I: std::fmt::Display>(ids: impl IntoIterator<Item = I>) -> String {
    serde_json::Value::Array(
        ids.into_iter()
            .map(|id| serde_json::Value::String(id.to_string()))
            .collect(),
    )
    .to_string()
}
