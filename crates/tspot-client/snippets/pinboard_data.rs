use tspot_client::prelude::*;
use tspot_client::{
    ApiError, Client, FilterOp, ObjectKind, Rows, RuntimeFilter, RuntimeFilters, call,
};

/// The data of every visualization of the Liveboard called `liveboard`, for the `west` region
/// only (a runtime filter: the Liveboard itself does not change), by visualization name.
pub async fn west_only(client: &Client, liveboard: &str) -> Result<Vec<(String, Rows)>, ApiError> {
    let liveboard = client.resolve(ObjectKind::Liveboard, liveboard).await?;
    let filters = [RuntimeFilter::new("Region", FilterOp::Eq, ["west"])];
    let data = call(
        client
            .pinboard_data()
            .id(liveboard.id)
            .runtime_filters(&filters)?
            .send(),
    )
    .await?;
    let mut vizzes: Vec<(String, Rows)> = data
        .values()
        .map(|viz| (viz.name.clone(), Rows::from(viz)))
        .collect();
    vizzes.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(vizzes)
}
