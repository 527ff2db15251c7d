//! Shell completion of values that only exist at run time: profile names (from the
//! configuration directory) and, with a live session, object names (asked from the server, with
//! a short timeout; nothing is offered when that fails). Object names come from the session of
//! `TSPOT_PROFILE`, else of the profile `tspot profiles use` chose (a completer does not see the
//! rest of the command line). The shells call `tspot` itself to
//! complete (clap_complete's `COMPLETE=<shell>` protocol); `tspot completions SHELL` prints the
//! script that does so.

use std::ffi::OsStr;
use std::time::Duration;

use clap_complete::engine::CompletionCandidate;
use tspot_client::prelude::*;
use tspot_client::{ObjectKind, types};

use crate::connection::{Session, set_timeout};
use crate::profile::Profiles;

/// The saved profiles.
pub fn profiles() -> Vec<CompletionCandidate> {
    Profiles::open()
        .and_then(|profiles| profiles.names())
        .unwrap_or_default()
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// Data sources (worksheets, views, tables) whose name starts with what was typed.
pub fn data_sources(current: &OsStr) -> Vec<CompletionCandidate> {
    objects(ObjectKind::DataSource, current)
}

/// Liveboards whose name starts with what was typed.
pub fn liveboards(current: &OsStr) -> Vec<CompletionCandidate> {
    objects(ObjectKind::Liveboard, current)
}

/// Objects TML exports whose name starts with what was typed.
pub fn exportable(current: &OsStr) -> Vec<CompletionCandidate> {
    objects(ObjectKind::Exportable, current)
}

fn objects(kind: ObjectKind, current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy().to_lowercase();
    let names = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()
        .and_then(|runtime| runtime.block_on(names(kind)))
        .unwrap_or_default();
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|name| name.to_lowercase().starts_with(&typed))
        .collect();
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The names of the objects of `kind` the current profile's session may see, or `None`.
async fn names(kind: ObjectKind) -> Option<Vec<String>> {
    // A shell waits for the answer: keep it short.
    set_timeout(Duration::from_secs(3));
    let profiles = Profiles::open().ok()?;
    let given = std::env::var("TSPOT_PROFILE").ok();
    let session = Session::open(&profiles.effective(given.as_deref())).ok()?;
    let kinds: &[types::MetadataType] = match kind {
        ObjectKind::DataSource => &[types::MetadataType::LogicalTable],
        ObjectKind::Liveboard => &[types::MetadataType::PinboardAnswerBook],
        ObjectKind::Answer => &[types::MetadataType::QuestionAnswerBook],
        _ => &[
            types::MetadataType::LogicalTable,
            types::MetadataType::QuestionAnswerBook,
            types::MetadataType::PinboardAnswerBook,
        ],
    };
    let mut names = Vec::new();
    for metadata_type in kinds {
        let headers = session
            .client
            .metadata_list_object_headers()
            .type_(*metadata_type)
            .batchsize(-1)
            .send()
            .await
            .ok()?
            .into_inner();
        names.extend(headers.into_iter().map(|h| h.name));
    }
    Some(names)
}
