//! `tspot login`, `tspot logout`, `tspot token`.

use serde_json::json;
use tspot_client::prelude::*;
use tspot_client::types;

use crate::cli::session::{LoginArgs, TokenArgs};
use crate::cli::{AccessLevel, GlobalArgs};
use crate::connection::{self, parse_server_url, session_client};
use crate::errors::{Class, CliError, Result, call, read_all};
use crate::output::{Report, now_rfc3339};
use crate::profile::{Profile, Profiles};
use crate::prompt;

pub async fn login(global: &GlobalArgs, args: LoginArgs) -> Result<Report> {
    let profiles = Profiles::open()?;
    // A damaged profile is replaced by signing in again.
    let previous = profiles.load(&global.profile).ok().flatten();
    let url = args
        .url
        .filter(|u| !u.trim().is_empty())
        .or_else(|| previous.as_ref().map(|p| p.url.clone()))
        .ok_or_else(|| CliError::usage("which server? Give --url or set TSPOT_URL"))?;
    let url = parse_server_url(&url).map_err(CliError::usage)?;
    let username = args
        .username
        .filter(|u| !u.trim().is_empty())
        .or_else(|| previous.as_ref().map(|p| p.username.clone()))
        .ok_or_else(|| CliError::usage("who signs in? Give --username or set TSPOT_USERNAME"))?;
    let password = match args.password.filter(|p| !p.is_empty()) {
        Some(password) => password,
        None => prompt::secret(
            &format!("Password of {username} at {url}: "),
            "no password: set TSPOT_PASSWORD, give --password, or run on a terminal to be asked",
        )?,
    };

    let (client, jar) = connection::anonymous(&url)?;
    call(
        client
            .session_login()
            .body(
                types::SessionLoginForm::builder()
                    .username(username.clone())
                    .password(password)
                    .rememberme(true),
            )
            .send(),
    )
    .await?;
    let jsessionid = connection::session_cookie(&jar, &url).ok_or_else(|| {
        CliError::new(
            Class::Server,
            format!("{url} accepted the sign-in but set no JSESSIONID cookie"),
        )
    })?;
    let profile = Profile {
        url: url.clone(),
        username: username.clone(),
        jsessionid,
        signed_in_at: now_rfc3339(),
    };
    profiles.save(&global.profile, &profile)?;
    Ok(Report::Message {
        text: format!(
            "Signed in to {url} as {username} (profile '{}').",
            global.profile
        ),
        json: json!({"profile": global.profile, "url": url, "username": username}),
    })
}

pub async fn logout(global: &GlobalArgs) -> Result<Report> {
    let profiles = Profiles::open()?;
    let loaded = match profiles.load(&global.profile) {
        Ok(loaded) => loaded,
        // A damaged profile cannot be used to end its session; forgetting it is what is left.
        Err(_) => {
            profiles.remove(&global.profile)?;
            let path = profiles.path(&global.profile);
            eprintln!(
                "tspot: warning: deleted the damaged profile {}",
                path.display()
            );
            None
        }
    };
    let Some(profile) = loaded else {
        return Ok(Report::Message {
            text: format!("Not signed in (profile '{}').", global.profile),
            json: json!({"profile": global.profile, "signed_out": false}),
        });
    };
    let client = session_client(&profile)?;
    let ended = call(client.session_logout().send()).await;
    profiles.remove(&global.profile)?;
    match ended {
        // A session the server no longer knows is as good as ended.
        Ok(()) => {}
        Err(error) if error.class == Class::NotSignedIn => {}
        Err(error) => eprintln!(
            "tspot: warning: the server did not end the session ({error}); it is forgotten here"
        ),
    }
    Ok(Report::Message {
        text: format!(
            "Signed out of {} (profile '{}').",
            profile.url, global.profile
        ),
        json: json!({"profile": global.profile, "url": profile.url, "signed_out": true}),
    })
}

pub async fn token(global: &GlobalArgs, args: TokenArgs) -> Result<Report> {
    let url = match args.url.filter(|u| !u.trim().is_empty()) {
        Some(url) => url,
        None => Profiles::open()?
            .load(&global.profile)?
            .map(|p| p.url)
            .ok_or_else(|| {
                CliError::usage(
                    "which server? Give --url, set TSPOT_URL or sign in with `tspot login`",
                )
            })?,
    };
    let url = parse_server_url(&url).map_err(CliError::usage)?;
    if args.access_level == AccessLevel::ReportBookView && args.object.is_none() {
        return Err(CliError::usage(
            "--access-level REPORT_BOOK_VIEW needs --object <ID>, the object the session may view",
        ));
    }
    let (client, _) = connection::anonymous(&url)?;
    let body = call(
        client
            .session_auth_token()
            .body(
                types::SessionAuthTokenForm::builder()
                    .username(args.user.clone())
                    .secret_key(args.secret)
                    .access_level(types::AccessLevel::from(args.access_level))
                    .id(args.object),
            )
            .send(),
    )
    .await?;
    let token = String::from_utf8_lossy(&read_all(body).await?)
        .trim()
        .to_string();
    if token.is_empty() {
        return Err(CliError::new(
            Class::Server,
            "the server answered an empty token",
        ));
    }
    Ok(Report::Message {
        text: token.clone(),
        json: json!({"user": args.user, "token": token}),
    })
}
