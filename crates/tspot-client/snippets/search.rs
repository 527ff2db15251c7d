use tspot_client::prelude::*;
use tspot_client::{ApiError, Cell, Client, ObjectKind, Rows, call};

/// Total sales per region of the worksheet called `source`, largest first.
pub async fn sales_by_region(
    client: &Client,
    source: &str,
) -> Result<Vec<(String, f64)>, ApiError> {
    let worksheet = client.resolve(ObjectKind::DataSource, source).await?;
    let result = call(
        client
            .search_data()
            .query_string("[Sales] [Region]")
            .data_source_guid(worksheet.id)
            .send(),
    )
    .await?;
    let rows = Rows::from(&result);
    let mut totals: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|row| match (row.get("Region"), row.get("Total Sales")) {
            (Some(Cell::Text(region)), Some(sales)) => Some((region.clone(), sales.as_f64()?)),
            _ => None,
        })
        .collect();
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(totals)
}
