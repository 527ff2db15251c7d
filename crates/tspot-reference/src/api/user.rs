//! The `user` operations: user/list, user/updatepassword, user/transfer/ownership, user/sync.

use std::collections::HashMap;

use tspot_server::*;

use crate::store::{Kind, PrincipalRecord, kind_of};
use crate::sync::{self, Desired};
use crate::{Reference, clock, secrets};

/// A stored principal as `user/list` shows it (and `user/sync` reads it).
pub(crate) fn to_principal(record: &PrincipalRecord) -> types::Principal {
    let principal_type = record.principal_type.parse().unwrap_or(match record.kind {
        Kind::User => types::PrincipalType::LocalUser,
        Kind::Group => types::PrincipalType::LocalGroup,
    });
    types::Principal {
        name: record.name.clone(),
        display_name: Some(record.display_name.clone()),
        description: record.description.clone(),
        created: Some(record.created),
        modified: Some(record.modified),
        mail: match record.kind {
            Kind::User => Some(record.mail.clone().unwrap_or_default()),
            Kind::Group => None,
        },
        principal_type_enum: principal_type.into(),
        group_names: record.group_names.clone(),
        visibility: record.visibility.parse().ok(),
        activate: Some(false),
        password: None,
    }
}

fn desired(principal: &types::UserSyncPrincipal) -> Desired {
    Desired {
        name: principal.name.clone(),
        principal_type: principal.principal_type_enum.to_string(),
        display_name: principal.display_name.clone(),
        description: principal.description.clone(),
        mail: principal.mail.clone(),
        visibility: principal.visibility.map(|v| v.to_string()),
        group_names: principal.group_names.clone().unwrap_or_default(),
        password: principal.password.clone(),
    }
}

/// ThoughtSpot refuses ownership transfers to or from its internal users `su` and `system`;
/// `tsadmin` is a normal target (content of departing users usually goes there).
fn is_system_user(record: &PrincipalRecord) -> bool {
    matches!(record.name.as_str(), "su" | "system")
}

impl UserApi for Reference {
    async fn user_list(
        &self,
        ctx: RequestContext,
        _: UserListInput,
    ) -> Result<Vec<types::Principal>, ApiError> {
        self.full_caller(&ctx).await?;
        let principals = self.principals().await?;
        Ok(principals.iter().map(to_principal).collect())
    }

    async fn user_update_password(
        &self,
        ctx: RequestContext,
        input: UserUpdatePasswordInput,
    ) -> Result<(), ApiError> {
        let caller = self.full_caller(&ctx).await?;
        if input.name != caller.user_name && !caller.is_admin() {
            return Err(ApiError::forbidden(
                "Changing another user's password needs the ADMINISTRATION privilege",
            ));
        }
        if input.password.is_empty() {
            return Err(ApiError::bad_request("The new password must not be empty"));
        }
        let client = self.client_address(&ctx);
        let (caller_name, target_name) = (caller.user_name.clone(), input.name.clone());
        let from = client.clone();
        let now = clock::now_ms();
        let (blocked, caller_credentials, target) = self
            .db(move |store| {
                Ok((
                    store.sign_in_blocked(&caller_name, &from, now)?,
                    store.credentials(&caller_name)?,
                    store.credentials(&target_name)?,
                ))
            })
            .await?;
        let target = target.ok_or_else(|| {
            ApiError::bad_request(format!("User '{}' does not exist", input.name))
        })?;
        let caller_hash = caller_credentials.and_then(|c| c.password_hash);
        let target_hash = target.password_hash.clone();
        let (current, new) = (input.currentpassword, input.password);
        let (current_ok, unchanged, new_hash) = if blocked.is_some() {
            (false, false, None)
        } else {
            self.hashing
                .run(move || {
                    let current_ok =
                        caller_hash.is_some_and(|h| secrets::verify_password(&current, &h));
                    let unchanged = target_hash.is_some_and(|h| secrets::verify_password(&new, &h));
                    let new_hash = (current_ok && !unchanged).then(|| secrets::hash_password(&new));
                    (current_ok, unchanged, new_hash)
                })
                .await?
        };
        if !current_ok {
            // A guess at the caller's own password counts like a failed sign-in.
            if blocked.is_none() {
                self.sign_in_failed(&caller.user_name, &client).await?;
            }
            crate::refusals::warn(
                "password change refused: wrong current password",
                &caller.user_name,
                &client,
            );
        }
        if !current_ok {
            return Err(ApiError::bad_request(
                "The current password (of the signed-in user) is incorrect",
            ));
        }
        if unchanged {
            return Err(ApiError::bad_request(
                "New password cannot be the same as current password",
            ));
        }
        let new_hash = new_hash
            .ok_or_else(|| ApiError::internal("password hash missing"))?
            .map_err(ApiError::internal)?;
        let user_id = target.id.clone();
        // Every other session of the user ends; the caller's own stays when it is theirs.
        let keep = (target.id == caller.user_id).then(|| caller.session.token_hash.clone());
        self.db(move |store| {
            store.set_password_hash(&user_id, &new_hash, clock::now_ms(), keep.as_deref())
        })
        .await?;
        tracing::info!(user = %target.name, by = %caller.user_name, "password changed");
        Ok(())
    }

    async fn user_transfer_ownership(
        &self,
        ctx: RequestContext,
        input: UserTransferOwnershipInput,
    ) -> Result<(), ApiError> {
        let caller = self.admin_caller(&ctx).await?;
        let (from, to) = (input.from_user_name.clone(), input.to_user_name.clone());
        let (from_user, to_user) = self
            .db(move |store| {
                Ok((
                    store.principal(Kind::User, &from)?,
                    store.principal(Kind::User, &to)?,
                ))
            })
            .await?;
        let check = |found: Option<PrincipalRecord>, name: &str, role: &str| {
            let user = found.ok_or_else(|| {
                ApiError::bad_request(format!("Invalid {role}: user '{name}' does not exist"))
            })?;
            if is_system_user(&user) {
                return Err(ApiError::bad_request(format!(
                    "Ownership cannot be transferred {} the system user '{name}'",
                    if role == "fromUserName" { "from" } else { "to" }
                )));
            }
            Ok(user)
        };
        let from_user = check(from_user, &input.from_user_name, "fromUserName")?;
        let to_user = check(to_user, &input.to_user_name, "toUserName")?;
        if from_user.id == to_user.id {
            return Err(ApiError::bad_request(
                "fromUserName and toUserName are the same user",
            ));
        }
        let objects = input.objects_id.clone();
        let requested_by = caller.user_id.clone();
        let moved = self
            .db(move |store| {
                let now = clock::now_ms();
                let moved =
                    store.transfer_objects(&from_user.id, &to_user.id, objects.as_deref(), now)?;
                store.record_ownership_transfer(
                    &from_user.id,
                    &to_user.id,
                    objects.as_deref(),
                    &requested_by,
                    now,
                )?;
                Ok(moved)
            })
            .await?;
        tracing::info!(from = %input.from_user_name, to = %input.to_user_name, moved, "ownership transferred");
        Ok(())
    }

    async fn user_sync(
        &self,
        ctx: RequestContext,
        input: UserSyncInput,
    ) -> Result<types::UserSyncResult, ApiError> {
        let caller = self.admin_caller(&ctx).await?;
        let desired: Vec<Desired> = input.principals.iter().map(desired).collect();
        if desired
            .iter()
            .any(|d| kind_of(&d.principal_type) == Kind::User && d.name.is_empty())
        {
            return Err(ApiError::bad_request(
                "Every principal needs a non-empty 'name'",
            ));
        }
        let default_password = input.password.clone();
        // Hash the passwords new users will get before taking the store's lock: hashing is slow.
        let current = self.db(|store| store.principals()).await?;
        let clear: Vec<String> =
            sync::passwords_needed(&current, &desired, default_password.as_deref())
                .into_iter()
                .map(String::from)
                .collect();
        let hashes: HashMap<String, String> = self
            .hashing
            .run(move || {
                clear
                    .into_iter()
                    .map(|password| secrets::hash_password(&password).map(|hash| (password, hash)))
                    .collect::<Result<_, _>>()
            })
            .await?
            .map_err(ApiError::internal)?;
        let remove_deleted = input.remove_deleted;
        let apply = input.apply_changes;
        let outcome = self
            .db(move |store| {
                let mut planner = |current: &[PrincipalRecord]| {
                    sync::plan(
                        current,
                        &desired,
                        remove_deleted,
                        default_password.as_deref(),
                        &hashes,
                    )
                };
                store.sync_principals(&mut planner, apply, clock::now_ms())
            })
            .await?;
        let plan = outcome.map_err(|refusal| ApiError::bad_request(refusal.to_string()))?;
        let [
            users_added,
            users_deleted,
            users_updated,
            groups_added,
            groups_deleted,
            groups_updated,
        ] = plan.summary();
        tracing::info!(
            by = %caller.user_name,
            apply,
            created = plan.create.len(),
            updated = plan.update.len(),
            deleted = plan.delete.len(),
            "user sync"
        );
        Ok(types::UserSyncResult {
            users_added,
            users_deleted,
            users_updated,
            groups_added,
            groups_deleted,
            groups_updated,
        })
    }
}
