//! `tspot profiles [list|use|remove]`: local only, no request to any server.

use serde_json::{Value, json};

use super::Context;
use crate::cli::profiles::{ProfilesArgs, ProfilesCommand};
use crate::errors::{Class, CliError, Result};
use crate::output::{Report, Table};
use crate::profile::Profiles;

pub fn run(context: &Context, args: ProfilesArgs) -> Result<Report> {
    let profiles = Profiles::open()?;
    match args.command.unwrap_or(ProfilesCommand::List) {
        ProfilesCommand::List => list(context, &profiles),
        ProfilesCommand::Use(name) => {
            known(&profiles, &name.name)?;
            profiles.set_current(Some(&name.name))?;
            Ok(Report::Message {
                text: format!("Commands now use profile '{}'.", name.name),
                json: json!({"current": name.name}),
            })
        }
        ProfilesCommand::Remove(name) => {
            known(&profiles, &name.name)?;
            profiles.remove(&name.name)?;
            if profiles.current().as_deref() == Some(name.name.as_str()) {
                profiles.set_current(None)?;
            }
            Ok(Report::Message {
                text: format!("Removed profile '{}'.", name.name),
                json: json!({"removed": name.name}),
            })
        }
    }
}

/// A profile that exists, or "not found" with the ones that do.
fn known(profiles: &Profiles, name: &str) -> Result<()> {
    let names = profiles.names()?;
    if names.iter().any(|n| n == name) {
        return Ok(());
    }
    let hint = match tspot_client::did_you_mean(name, names.iter().map(String::as_str)).as_slice() {
        [] if names.is_empty() => {
            "there are none yet; `tspot login --profile NAME` makes one".to_string()
        }
        [] => format!("there are: {}", names.join(", ")),
        close => format!("did you mean '{}'?", close.join("' or '")),
    };
    Err(CliError::new(
        Class::NotFound,
        format!("no profile is named '{name}'; {hint}"),
    ))
}

fn list(context: &Context, profiles: &Profiles) -> Result<Report> {
    let mut table = Table::new(["", "Profile", "Server", "User", "Session"]);
    let mut json = Vec::new();
    for name in profiles.names()? {
        let current = name == context.profile;
        let (url, user, session, signed_in_at) = match profiles.load(&name) {
            Ok(Some(profile)) => {
                let session = if profile.signed_in() {
                    format!("signed in {}", profile.signed_in_at)
                } else {
                    "signed out".to_string()
                };
                let at = Some(profile.signed_in_at.clone()).filter(|_| profile.signed_in());
                (profile.url, profile.username, session, at)
            }
            Ok(None) => continue,
            Err(error) => (String::new(), String::new(), error.message, None),
        };
        table.push([
            Value::from(if current { "*" } else { "" }),
            Value::from(name.clone()),
            Value::from(url.clone()),
            Value::from(user.clone()),
            Value::from(session.clone()),
        ]);
        json.push(json!({
            "profile": name, "current": current, "url": url, "username": user,
            "signed_in": signed_in_at.is_some(), "signed_in_at": signed_in_at,
        }));
    }
    Ok(Report::Table {
        table,
        json: Value::Array(json),
    })
}
