//! `tspot groups grant|revoke`.

use serde_json::json;
use tspot_client::params::GroupPrivilegeLists;
use tspot_client::prelude::*;
use tspot_client::types;

use crate::cli::users::{GroupsCommand, PrivilegeArgs};
use crate::connection::Session;
use crate::errors::{Result, call};
use crate::output::Report;
use crate::progress::Spinner;

pub async fn run(session: &Session, command: GroupsCommand) -> Result<Report> {
    let (grant, args) = match command {
        GroupsCommand::Grant(args) => (true, args),
        GroupsCommand::Revoke(args) => (false, args),
    };
    change(session, grant, args).await
}

async fn change(session: &Session, grant: bool, args: PrivilegeArgs) -> Result<Report> {
    let privilege = types::Privilege::from(args.privilege);
    let body = types::GroupPrivilegeForm::builder()
        .privilege(privilege)
        .group_name_list(&args.groups);
    let spinner = Spinner::start(format!(
        "Changing the privileges of {}",
        args.groups.join(", ")
    ));
    if grant {
        call(session.client.group_add_privilege().body(body).send()).await?;
    } else {
        call(session.client.group_remove_privilege().body(body).send()).await?;
    }
    drop(spinner);
    let groups = args.groups.join(", ");
    let text = if grant {
        format!("Granted {privilege} to {groups}.")
    } else {
        format!("Revoked {privilege} from {groups}.")
    };
    Ok(Report::Message {
        text,
        json: json!({
            "action": if grant { "grant" } else { "revoke" },
            "privilege": privilege.to_string(),
            "groups": args.groups,
        }),
    })
}
