//! The types of result columns, for dates in ISO-8601: the data APIs answer column names only,
//! so the types come from the data source's TML (`tspot_client::Client::column_types`).

use tspot_client::Client;
use tspot_client::tml::ColumnTypes;
use tspot_tml::DataType;

use crate::output::ColumnKind;

/// The column types of the source `id` (a data source or a Liveboard); none when the TML
/// cannot be read (no permission, an older server): the columns then read as plain values.
pub async fn types_of(client: &Client, id: &str) -> ColumnTypes {
    client.column_types(id).await.unwrap_or_default()
}

/// What each result column holds: its source column's type, also under an aggregate's name
/// (`Minimum Order Date`).
pub fn kinds(types: &ColumnTypes, headers: &[String]) -> Vec<Option<ColumnKind>> {
    headers
        .iter()
        .map(|header| {
            let source = ["Minimum ", "Maximum ", "Min ", "Max "]
                .iter()
                .find_map(|prefix| header.strip_prefix(prefix))
                .unwrap_or(header);
            match types.get(header).or_else(|| types.get(source)) {
                Some(DataType::Date) => Some(ColumnKind::Date),
                Some(DataType::DateTime) => Some(ColumnKind::DateTime),
                _ => None,
            }
        })
        .collect()
}
