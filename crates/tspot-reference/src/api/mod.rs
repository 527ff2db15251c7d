//! `ThoughtSpotApi` for the reference server: each method delegates to its area's module.

mod group;
mod headers;
mod objects;
mod session;
mod user;

pub(crate) use objects::import_documents;

use tspot_server::*;

use crate::Reference;

impl ThoughtSpotApi for Reference {
    async fn authenticate(&self, ctx: &mut RequestContext) -> Result<(), ApiError> {
        self.authenticate_request(ctx).await
    }

    fn body_limit(&self, operation_id: &'static str) -> usize {
        self.config.body_limits.for_operation(operation_id)
    }

    async fn user_list(
        &self,
        ctx: RequestContext,
        _: UserListInput,
    ) -> Result<UserListResponse, ApiError> {
        self.user_list(ctx).await
    }

    async fn user_update_password(
        &self,
        ctx: RequestContext,
        input: UserUpdatePasswordInput,
    ) -> Result<UserUpdatePasswordResponse, ApiError> {
        self.update_password(ctx, input).await
    }

    async fn user_transfer_ownership(
        &self,
        ctx: RequestContext,
        input: UserTransferOwnershipInput,
    ) -> Result<UserTransferOwnershipResponse, ApiError> {
        self.transfer_ownership(ctx, input).await
    }

    async fn user_sync(
        &self,
        ctx: RequestContext,
        input: UserSyncInput,
    ) -> Result<UserSyncResponse, ApiError> {
        self.user_sync(ctx, input).await
    }

    async fn group_add_privilege(
        &self,
        ctx: RequestContext,
        input: GroupAddPrivilegeInput,
    ) -> Result<GroupAddPrivilegeResponse, ApiError> {
        let group = self
            .change_privilege(ctx, input.privilege, input.group_names, true)
            .await?;
        Ok(GroupAddPrivilegeResponse::Ok(group))
    }

    async fn group_remove_privilege(
        &self,
        ctx: RequestContext,
        input: GroupRemovePrivilegeInput,
    ) -> Result<GroupRemovePrivilegeResponse, ApiError> {
        let group = self
            .change_privilege(ctx, input.privilege, input.group_names, false)
            .await?;
        Ok(GroupRemovePrivilegeResponse::Ok(group))
    }

    async fn session_login(
        &self,
        ctx: RequestContext,
        input: SessionLoginInput,
    ) -> Result<SessionLoginResponse, ApiError> {
        self.login(ctx, input).await
    }

    async fn session_logout(
        &self,
        ctx: RequestContext,
        _: SessionLogoutInput,
    ) -> Result<SessionLogoutResponse, ApiError> {
        self.logout(ctx).await
    }

    async fn session_auth_token(
        &self,
        ctx: RequestContext,
        input: SessionAuthTokenInput,
    ) -> Result<SessionAuthTokenResponse, ApiError> {
        self.auth_token(ctx, input).await
    }

    async fn session_login_token(
        &self,
        ctx: RequestContext,
        input: SessionLoginTokenInput,
    ) -> Result<SessionLoginTokenResponse, ApiError> {
        self.login_token(ctx, input).await
    }

    async fn metadata_tml_import(
        &self,
        ctx: RequestContext,
        input: MetadataTmlImportInput,
    ) -> Result<MetadataTmlImportResponse, ApiError> {
        self.tml_import(ctx, input).await
    }

    async fn metadata_tml_export(
        &self,
        ctx: RequestContext,
        input: MetadataTmlExportInput,
    ) -> Result<MetadataTmlExportResponse, ApiError> {
        self.tml_export(ctx, input).await
    }

    async fn pinboard_data(
        &self,
        ctx: RequestContext,
        input: PinboardDataInput,
    ) -> Result<PinboardDataResponse, ApiError> {
        self.pinboard_data(ctx, input).await
    }

    async fn export_pinboard_pdf(
        &self,
        ctx: RequestContext,
        input: ExportPinboardPdfInput,
    ) -> Result<ExportPinboardPdfResponse, ApiError> {
        self.pdf(ctx, input).await
    }

    async fn metadata_list_object_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListObjectHeadersInput,
    ) -> Result<MetadataListObjectHeadersResponse, ApiError> {
        self.list_object_headers(ctx, input).await
    }

    async fn metadata_list_viz_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListVizHeadersInput,
    ) -> Result<MetadataListVizHeadersResponse, ApiError> {
        self.list_viz_headers(ctx, input).await
    }

    async fn search_data(
        &self,
        ctx: RequestContext,
        input: SearchDataInput,
    ) -> Result<SearchDataResponse, ApiError> {
        self.search(ctx, input).await
    }
}
