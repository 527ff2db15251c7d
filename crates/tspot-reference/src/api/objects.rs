//! The operations on metadata objects (TML, Liveboard data, PDF, search). The store holds no
//! metadata objects yet (they arrive with the TML import of the analytics milestone), so every
//! lookup of an object finds nothing and answers as ThoughtSpot does for an unknown id.

use tspot_server::*;

use crate::Reference;
use crate::auth::Caller;

fn no_such_object(id: &str) -> ApiError {
    ApiError::not_found(format!("No object with id '{id}' exists"))
}

impl Caller {
    /// A `REPORT_BOOK_VIEW` session reads only the object its token named.
    pub(crate) fn may_read(&self, object_id: &str) -> Result<(), ApiError> {
        match &self.session.object_id {
            Some(allowed)
                if self.session.access_level != crate::auth::FULL_ACCESS
                    && allowed != object_id =>
            {
                Err(ApiError::forbidden(
                    "This session may only view the object it was issued for",
                ))
            }
            _ => Ok(()),
        }
    }
}

impl Reference {
    pub(crate) async fn tml_import(
        &self,
        ctx: RequestContext,
        input: MetadataTmlImportInput,
    ) -> Result<MetadataTmlImportResponse, ApiError> {
        self.full_caller(&ctx).await?;
        if input.import_objects.is_empty() {
            return Err(ApiError::bad_request(
                "Parameter 'import_objects' holds no TML document",
            ));
        }
        let object = input
            .import_objects
            .iter()
            .map(|_| types::TmlImportObjectResult {
                response: types::TmlImportResponse {
                    status: types::TmlStatus {
                        status_code: types::TmlStatusCode::Error,
                        error_code: Some(14500),
                        error_message: Some(
                            "This tspot version stores no metadata objects yet; TML import is not available".into(),
                        ),
                    },
                    header: None,
                },
            })
            .collect();
        Ok(MetadataTmlImportResponse::Ok(types::TmlImportResult {
            object,
        }))
    }

    pub(crate) async fn tml_export(
        &self,
        ctx: RequestContext,
        input: MetadataTmlExportInput,
    ) -> Result<MetadataTmlExportResponse, ApiError> {
        self.full_caller(&ctx).await?;
        match input.export_ids.first() {
            Some(id) => Err(no_such_object(id)),
            None => Err(ApiError::bad_request(
                "Parameter 'export_ids' names no object",
            )),
        }
    }

    pub(crate) async fn read_object(
        &self,
        ctx: &RequestContext,
        id: &str,
    ) -> Result<std::convert::Infallible, ApiError> {
        let caller = self.caller(ctx).await?;
        caller.may_read(id)?;
        Err(no_such_object(id))
    }

    pub(crate) async fn search(
        &self,
        ctx: RequestContext,
        input: SearchDataInput,
    ) -> Result<SearchDataResponse, ApiError> {
        self.full_caller(&ctx).await?;
        Err(ApiError::bad_request(format!(
            "Data source '{}' does not exist",
            input.data_source_guid
        )))
    }
}
