//! `tspot users list|sync|passwd|transfer`.

use std::io::Read;
use std::path::Path;

use serde_json::{Value, json};
use tspot_client::params::TransferLists;
use tspot_client::prelude::*;
use tspot_client::{UserSync, types};

use crate::cli::users::{PasswdArgs, SyncArgs, TransferArgs, UsersCommand};
use crate::connection::Session;
use crate::errors::{CliError, Result, call};
use crate::output::{Report, Table};
use crate::progress::Spinner;
use crate::prompt;
use crate::resolve;
use tspot_client::ObjectKind;

pub async fn run(session: &Session, command: UsersCommand) -> Result<Report> {
    match command {
        UsersCommand::List => list(session).await,
        UsersCommand::Sync(args) => sync(session, args).await,
        UsersCommand::Passwd(args) => passwd(session, args).await,
        UsersCommand::Transfer(args) => transfer(session, args).await,
    }
}

fn is_group(kind: &types::Open<types::PrincipalType>) -> bool {
    matches!(
        kind.known(),
        Some(types::PrincipalType::LocalGroup | types::PrincipalType::LdapGroup)
    )
}

async fn list(session: &Session) -> Result<Report> {
    let spinner = Spinner::start("Listing users and groups");
    let mut principals = call(session.client.user_list().send()).await?;
    drop(spinner);
    // Users first, then groups, each by name.
    principals.sort_by(|a, b| {
        (
            is_group(&a.principal_type_enum),
            a.name.to_lowercase(),
            &a.name,
        )
            .cmp(&(
                is_group(&b.principal_type_enum),
                b.name.to_lowercase(),
                &b.name,
            ))
    });
    let mut table = Table::new(["Name", "Display name", "Type", "Groups", "Mail"]);
    for principal in &principals {
        table.push([
            Value::from(principal.name.clone()),
            Value::from(principal.display_name.clone().unwrap_or_default()),
            Value::from(principal.principal_type_enum.to_string()),
            Value::from(principal.group_names.join(", ")),
            Value::from(principal.mail.clone().unwrap_or_default()),
        ]);
    }
    Ok(Report::Table {
        table,
        json: serde_json::to_value(&principals).expect("principals serialize"),
    })
}

fn read_principals(path: &Path) -> Result<Vec<types::Principal>> {
    let shown = path.display();
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::failed(format!("cannot read standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::failed(format!("cannot read {shown}: {e}")))?
    };
    serde_json::from_str(&text).map_err(|e| {
        CliError::failed(format!(
            "{shown} is not a JSON array of principals (as `tspot users list --output json` prints): {e}"
        ))
    })
}

async fn sync(session: &Session, args: SyncArgs) -> Result<Report> {
    let principals = read_principals(&args.file)?;
    let count = principals.len();
    let request = UserSync {
        principals,
        apply_changes: args.apply,
        remove_deleted: args.remove_deleted,
        password: args.password,
    };
    let spinner = Spinner::start(format!("Synchronising {count} users and groups"));
    let result = call(session.client.user_sync(&request)).await?;
    drop(spinner);

    let mut table = Table::new(["Change", "Type", "Name"]);
    for (names, change, kind) in [
        (&result.users_added, "add", "user"),
        (&result.users_updated, "update", "user"),
        (&result.users_deleted, "delete", "user"),
        (&result.groups_added, "add", "group"),
        (&result.groups_updated, "update", "group"),
        (&result.groups_deleted, "delete", "group"),
    ] {
        for name in names {
            table.push([change, kind, name.as_str()]);
        }
    }
    let mut json = serde_json::to_value(&result).expect("a sync result serializes");
    json["applied"] = Value::Bool(args.apply);
    if table.rows.is_empty() {
        return Ok(Report::Message {
            text: "Nothing to change: the server already matches the file.".into(),
            json,
        });
    }
    if !args.apply {
        eprintln!("Dry run: nothing was changed. Add --apply to make these changes.");
    }
    Ok(Report::Table { table, json })
}

async fn passwd(session: &Session, args: PasswdArgs) -> Result<Report> {
    let current = match args.current {
        Some(current) => current,
        None => prompt::secret(
            &format!("Password of {} (signed in): ", session.profile.username),
            "give --current (the signed-in user's password) or run on a terminal to be asked",
        )?,
    };
    let new = match args.new {
        Some(new) => new,
        None => {
            let missing = "give --new or run on a terminal to be asked";
            let first = prompt::secret(&format!("New password of {}: ", args.user), missing)?;
            let again = prompt::secret("The new password again: ", missing)?;
            if first != again {
                return Err(CliError::usage("the two new passwords differ"));
            }
            first
        }
    };
    let _spinner = Spinner::start("Changing the password");
    call(
        session
            .client
            .user_update_password()
            .body(
                types::UserUpdatePasswordForm::builder()
                    .name(args.user.clone())
                    .currentpassword(current)
                    .password(new),
            )
            .send(),
    )
    .await?;
    Ok(Report::Message {
        text: format!("Changed the password of {}.", args.user),
        json: json!({"user": args.user, "changed": true}),
    })
}

async fn transfer(session: &Session, args: TransferArgs) -> Result<Report> {
    let mut request = session
        .client
        .user_transfer_ownership()
        .from_user_name(args.from.clone())
        .to_user_name(args.to.clone());
    let spinner = Spinner::start("Transferring ownership");
    if !args.objects.is_empty() {
        let mut ids = Vec::with_capacity(args.objects.len());
        for object in &args.objects {
            ids.push(
                resolve::object(&session.client, ObjectKind::Exportable, object)
                    .await?
                    .id,
            );
        }
        request = request.object_id_list(&ids);
    }
    call(request.send()).await?;
    drop(spinner);
    let (text, objects) = if args.objects.is_empty() {
        (
            format!("{} now owns every object {} owned.", args.to, args.from),
            Value::Null,
        )
    } else {
        (
            format!(
                "{} now owns {} object{} of {}.",
                args.to,
                args.objects.len(),
                if args.objects.len() == 1 { "" } else { "s" },
                args.from
            ),
            json!(args.objects),
        )
    };
    Ok(Report::Message {
        text,
        json: json!({"from": args.from, "to": args.to, "objects": objects}),
    })
}
