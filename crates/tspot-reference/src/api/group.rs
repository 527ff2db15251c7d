//! The `group` operations: group/addprivilege and group/removeprivilege.

use tspot_server::*;

use crate::store::{GroupRecord, PrivilegeRefusal};
use crate::{Reference, clock};

/// The group-details object ThoughtSpot returns for a group.
fn group_details(group: &GroupRecord, author: &str) -> types::GroupDetails {
    let p = &group.principal;
    types::GroupDetails {
        assigned_groups: p.group_names.clone(),
        assigned_pinboards: vec![],
        complete: Some(true),
        display_name: p.display_name.clone(),
        group_idx: None,
        header: types::GroupHeader {
            author: Some(author.to_string()),
            created: Some(p.created),
            display_name: Some(p.display_name.clone()),
            id: p.id.clone(),
            is_deleted: Some(false),
            is_deprecated: Some(false),
            is_external: Some(false),
            is_hidden: Some(false),
            modified: Some(p.modified),
            modified_by: Some(author.to_string()),
            name: p.name.clone(),
            owner: Some(p.id.clone()),
            tags: vec![],
            type_: p.principal_type.clone(),
        },
        incomplete_detail: vec![],
        inherited_groups: vec![],
        is_system_principal: Some(p.is_system),
        metadata_version: None,
        parenttype: Some("GROUP".into()),
        privileges: group.privileges.iter().cloned().collect(),
        type_: p.principal_type.clone(),
        user_group_content: Default::default(),
        visibility: p.visibility.clone(),
    }
}

impl GroupApi for Reference {
    async fn group_add_privilege(
        &self,
        ctx: RequestContext,
        input: GroupAddPrivilegeInput,
    ) -> Result<types::GroupDetails, ApiError> {
        self.change_privilege(ctx, input.privilege, input.group_names, true)
            .await
    }

    async fn group_remove_privilege(
        &self,
        ctx: RequestContext,
        input: GroupRemovePrivilegeInput,
    ) -> Result<GroupRemovePrivilegeResponse, ApiError> {
        let group = self
            .change_privilege(ctx, input.privilege, input.group_names, false)
            .await?;
        // tspot's 200 with the group (the Python library parses a JSON body from both calls).
        Ok(GroupRemovePrivilegeResponse::Ok(group))
    }
}

impl Reference {
    /// Grants (`grant`) or revokes one privilege on every named group, all or nothing, and
    /// answers with the first group's details (the Python library parses a JSON body).
    async fn change_privilege(
        &self,
        ctx: RequestContext,
        privilege: types::Privilege,
        groups: Vec<String>,
        grant: bool,
    ) -> Result<types::GroupDetails, ApiError> {
        let caller = self.admin_caller(&ctx).await?;
        if groups.is_empty() || groups.iter().any(|g| g.trim().is_empty()) {
            return Err(ApiError::bad_request(
                "Parameter 'groupNames' must name at least one group, and no empty names",
            ));
        }
        let privilege = privilege.to_string();
        let names = groups.clone();
        let changed = privilege.clone();
        let outcome = self
            .db(move |store| store.change_privilege(&names, &changed, grant, clock::now_ms()))
            .await?;
        let records = outcome.map_err(|PrivilegeRefusal::UnknownGroups(unknown)| {
            ApiError::bad_request(format!(
                "These groups do not exist: {}; no privilege was changed",
                unknown.join(", ")
            ))
        })?;
        let first = records
            .first()
            .ok_or_else(|| ApiError::internal("privilege change returned no group"))?;
        tracing::info!(
            by = %caller.user_name,
            %privilege,
            grant,
            groups = %groups.join(","),
            "group privilege changed"
        );
        Ok(group_details(first, &caller.user_id))
    }
}
