//! `tspot login`, `tspot logout`, `tspot status`, `tspot token`.

use serde_json::json;
use tspot_client::prelude::*;
use tspot_client::types;

use super::{Context, Done};
use crate::cli::AccessLevel;
use crate::cli::session::{LoginArgs, TokenArgs};
use crate::connection::{self, login_command, parse_server_url, session_client};
use crate::errors::{Class, CliError, Result, call, read_all};
use crate::output::{Report, now_rfc3339};
use crate::profile::{Profile, Profiles};
use crate::progress::Spinner;
use crate::prompt;

pub async fn login(context: &Context, args: LoginArgs) -> Result<Report> {
    let profiles = Profiles::open()?;
    // A damaged profile is replaced by signing in again.
    let previous = profiles.load(&context.profile).ok().flatten();
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
        _ if args.password_stdin => prompt::secret_from_stdin()?,
        Some(password) => password,
        None => prompt::secret(
            &format!("Password of {username} at {url}: "),
            "no password: use --password-stdin, set TSPOT_PASSWORD, or run on a terminal to be asked",
        )?,
    };

    let _spinner = Spinner::start(format!("Signing in to {url}"));
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
    profiles.save(&context.profile, &profile)?;
    Ok(Report::Message {
        text: format!(
            "Signed in to {url} as {username} (profile '{}').",
            context.profile
        ),
        json: json!({"profile": context.profile, "url": url, "username": username}),
    })
}

pub async fn logout(context: &Context) -> Result<Report> {
    let profiles = Profiles::open()?;
    let loaded = match profiles.load(&context.profile) {
        Ok(loaded) => loaded,
        // A damaged profile cannot be used to end its session; forgetting it is what is left.
        Err(_) => {
            profiles.remove(&context.profile)?;
            let path = profiles.path(&context.profile);
            eprintln!(
                "tspot: warning: deleted the damaged profile {}",
                path.display()
            );
            None
        }
    };
    let Some(profile) = loaded else {
        return Ok(Report::Message {
            text: format!("Not signed in (profile '{}').", context.profile),
            json: json!({"profile": context.profile, "signed_out": false}),
        });
    };
    if !profile.signed_in() {
        return Ok(Report::Message {
            text: format!("Not signed in (profile '{}').", context.profile),
            json: json!({"profile": context.profile, "signed_out": false}),
        });
    }
    let client = session_client(&profile)?;
    let spinner = Spinner::start(format!("Signing out of {}", profile.url));
    let ended = call(client.session_logout().send()).await;
    drop(spinner);
    // The server and user stay for the next `tspot login`; the session goes.
    let signed_out = Profile {
        jsessionid: String::new(),
        signed_in_at: String::new(),
        ..profile.clone()
    };
    profiles.save(&context.profile, &signed_out)?;
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
            profile.url, context.profile
        ),
        json: json!({"profile": context.profile, "url": profile.url, "signed_out": true}),
    })
}

pub async fn token(context: &Context, args: TokenArgs) -> Result<Report> {
    let url = match args.url.filter(|u| !u.trim().is_empty()) {
        Some(url) => url,
        None => Profiles::open()?
            .load(&context.profile)?
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
    let _spinner = Spinner::start(format!("Asking {url} for a token"));
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

/// What `tspot status` found out about the profile's session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SessionState {
    Valid,
    Ended,
    SignedOut,
}

impl SessionState {
    fn text(self) -> &'static str {
        match self {
            SessionState::Valid => "valid",
            SessionState::Ended => "expired or ended on the server",
            SessionState::SignedOut => "signed out",
        }
    }
}

pub async fn status(context: &Context) -> Result<Done> {
    let profiles = Profiles::open()?;
    let Some(profile) = profiles.load(&context.profile)? else {
        let error = connection::not_signed_in(&context.profile);
        return Ok(Done {
            report: Report::Message {
                text: format!("Profile '{}' has never signed in.", context.profile),
                json: json!({"profile": context.profile, "session": "none"}),
            },
            failure: Some(error),
        });
    };
    let state = if profile.signed_in() {
        let client = session_client(&profile)?;
        let _spinner = Spinner::start(format!("Checking the session at {}", profile.url));
        // The cheapest call any signed-in user may make: one user header.
        let probe = call(
            client
                .metadata_list_object_headers()
                .type_(types::MetadataType::User)
                .batchsize(1)
                .send(),
        )
        .await;
        match probe {
            // 403: the server knows the session, the user may just not list users.
            Ok(_) => SessionState::Valid,
            Err(error) if error.class == Class::Forbidden => SessionState::Valid,
            Err(error) if error.class == Class::NotSignedIn => SessionState::Ended,
            Err(error) => return Err(error),
        }
    } else {
        SessionState::SignedOut
    };
    let mut lines = vec![
        format!("Profile:    {}", context.profile),
        format!("Server:     {}", profile.url),
        format!("User:       {}", profile.username),
    ];
    if !profile.signed_in_at.is_empty() {
        lines.push(format!("Signed in:  {}", profile.signed_in_at));
    }
    lines.push(format!("Session:    {}", state.text()));
    let failure = (state != SessionState::Valid).then(|| {
        CliError::new(
            Class::NotSignedIn,
            format!(
                "profile '{}' is {}; run `{}`",
                context.profile,
                state.text(),
                login_command(&context.profile)
            ),
        )
    });
    Ok(Done {
        report: Report::Message {
            text: lines.join("\n"),
            json: json!({
                "profile": context.profile,
                "url": profile.url,
                "username": profile.username,
                "signed_in_at": profile.signed_in_at,
                "session": match state {
                    SessionState::Valid => "valid",
                    SessionState::Ended => "ended",
                    SessionState::SignedOut => "signed_out",
                },
            }),
        },
        failure,
    })
}
