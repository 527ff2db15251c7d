use tspot_client::params::{TmlExportLists, TmlImportLists};
use tspot_client::prelude::*;
use tspot_client::{ApiError, Client, ObjectKind, call, types};

/// Exports the object called `name` with what it uses (worksheets, tables) as YAML TML, then
/// checks the documents with a validate-only import; returns each document's status.
pub async fn export_and_validate(client: &Client, name: &str) -> Result<Vec<String>, ApiError> {
    let object = client.resolve(ObjectKind::Exportable, name).await?;
    let form = types::TmlExportForm::builder()
        .export_id_list(&[object.id])
        .export_associated(true)
        .formattype(types::TmlFormat::Yaml);
    let exported = call(client.metadata_tml_export().body(form).send()).await?;
    let documents: Vec<String> = exported
        .object
        .iter()
        .filter_map(|object| object.edoc.clone())
        .collect();

    let form = types::TmlImportForm::builder()
        .import_object_list(&documents)
        .import_policy(types::TmlImportPolicy::ValidateOnly);
    let imported = call(client.metadata_tml_import().body(form).send()).await?;
    Ok(imported
        .object
        .iter()
        .map(|object| object.response.status.status_code.to_string())
        .collect())
}
