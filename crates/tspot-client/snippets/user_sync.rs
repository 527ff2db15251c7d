use tspot_client::prelude::*;
use tspot_client::{ApiError, Client, UserSync, call, types};

/// What synchronising the users with today's list plus `new_user` (whose first password is
/// `password`) would change: a dry run (`UserSync::dry_run`), so nothing changes on the server.
pub async fn preview_adding(
    client: &Client,
    new_user: &str,
    password: &str,
) -> Result<types::UserSyncResult, ApiError> {
    let mut principals = call(client.user_list().send()).await?;
    principals.push(types::Principal {
        name: new_user.to_string(),
        display_name: Some(new_user.to_string()),
        principal_type_enum: types::PrincipalType::LocalUser.into(),
        group_names: Vec::new(),
        activate: None,
        created: None,
        description: None,
        mail: None,
        modified: None,
        password: None,
        visibility: None,
    });
    let mut sync = UserSync::dry_run(principals);
    sync.password = Some(password.to_string());
    call(client.user_sync(&sync)).await
}
