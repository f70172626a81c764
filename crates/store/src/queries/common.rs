// Helpers shared by the query files. Included once per backend, after the backend's `DbRow`,
// `DbError`, `violation` and `col` (a column converted to a Rust value).

/// Maps a database error; unique violations become conflicts.
fn db_err(e: DbError, what: &str) -> crate::StoreError {
    match violation(&e) {
        Some(crate::Violation::Unique) => crate::StoreError::Conflict(format!("{what} exists already")),
        Some(crate::Violation::ForeignKey) => crate::StoreError::Conflict(format!(
            "{what} refers to something that does not exist"
        )),
        Some(crate::Violation::Check) => {
            crate::StoreError::Conflict(format!("{what} breaks a rule of the database"))
        }
        None => e.into(),
    }
}

fn corrupt(table: &'static str, message: impl std::fmt::Display) -> crate::StoreError {
    crate::StoreError::Corrupt {
        table,
        message: message.to_string(),
    }
}

/// A column holding a value written by its `Display` and read by its `FromStr`.
fn parsed<T>(row: &DbRow, table: &'static str, name: &str) -> crate::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: String = col(row, table, name)?;
    text.parse::<T>()
        .map_err(|e| corrupt(table, format!("{name} \"{text}\": {e}")))
}

fn parsed_opt<T>(row: &DbRow, table: &'static str, name: &str) -> crate::Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = col(row, table, name)?;
    text.map(|t| {
        t.parse::<T>()
            .map_err(|e| corrupt(table, format!("{name} \"{t}\": {e}")))
    })
    .transpose()
}

/// A column holding JSON.
fn json<T: serde::de::DeserializeOwned>(row: &DbRow, table: &'static str, name: &str) -> crate::Result<T> {
    let text: String = col(row, table, name)?;
    serde_json::from_str(&text).map_err(|e| corrupt(table, format!("{name}: {e}")))
}

fn json_opt<T: serde::de::DeserializeOwned>(
    row: &DbRow,
    table: &'static str,
    name: &str,
) -> crate::Result<Option<T>> {
    let text: Option<String> = col(row, table, name)?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt(table, format!("{name}: {e}"))))
        .transpose()
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising the domain's plain structs cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn money(row: &DbRow, table: &'static str, name: &str) -> crate::Result<ensemble_domain::Money> {
    col::<i64>(row, table, name).map(ensemble_domain::Money::from_cents)
}

fn not_found(kind: &'static str, id: impl std::fmt::Display) -> crate::StoreError {
    crate::StoreError::NotFound {
        kind,
        id: id.to_string(),
    }
}

/// `($1, $2, $3), ($4, $5, $6)…` (`(?, ?, ?), (?, ?, ?)…` on SQLite, see `ANONYMOUS_PARAMS`):
/// the placeholders of a multi-row `VALUES` of `rows` rows of `columns` columns, the
/// statement's only parameters.
fn value_rows(rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            if ANONYMOUS_PARAMS {
                out.push('?');
            } else {
                out.push('$');
                out.push_str(&(r * columns + c + 1).to_string());
            }
        }
        out.push(')');
    }
    out
}

/// Rows per multi-row statement: well under SQLite's 32 766 and PostgreSQL's 65 535 bound
/// parameters for the widest row written in batches (20 columns).
const ROWS_PER_STATEMENT: usize = 500;
