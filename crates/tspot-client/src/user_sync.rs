//! `POST user/sync`, written by hand: its body is multipart/form-data, which progenitor cannot
//! generate (progenitor issue 518). The spec still describes it, and the server side is generated.

#![warn(missing_docs)]

use progenitor_client::{ClientInfo, Error, ResponseValue};

use crate::generated::{Client, types};

/// The parts of a `user/sync` request.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSync {
    /// The complete list of principals ThoughtSpot should hold afterwards.
    pub principals: Vec<types::Principal>,
    /// `false` is a dry run: the result says what would change, nothing changes.
    pub apply_changes: bool,
    /// Delete principals that are not in the list.
    pub remove_deleted: bool,
    /// Password given to newly created local users.
    pub password: Option<String>,
}

impl UserSync {
    /// A dry run that deletes nothing, the safe starting point.
    pub fn dry_run(principals: Vec<types::Principal>) -> UserSync {
        UserSync {
            principals,
            apply_changes: false,
            remove_deleted: false,
            password: None,
        }
    }
}

impl Client {
    /// Synchronises users, groups and memberships with the given list (`POST user/sync`).
    pub async fn user_sync(
        &self,
        sync: &UserSync,
    ) -> Result<ResponseValue<types::UserSyncResult>, Error<types::ErrorResponse>> {
        let principals = serde_json::to_string(&sync.principals)
            .map_err(|e| Error::InvalidRequest(format!("principals do not serialize: {e}")))?;
        let principals = reqwest::multipart::Part::text(principals)
            .file_name("principals.json")
            .mime_str("application/json")
            .map_err(Error::CommunicationError)?;
        let mut form = reqwest::multipart::Form::new()
            .part("principals", principals)
            .text("applyChanges", sync.apply_changes.to_string())
            .text("removeDeleted", sync.remove_deleted.to_string());
        if let Some(password) = &sync.password {
            form = form.text("password", password.clone());
        }
        let url = format!("{}/tspublic/v1/user/sync", self.baseurl());
        let request = self
            .client()
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()
            .map_err(Error::CommunicationError)?;
        let response = crate::trace::execute(self.client(), request, "userSync")
            .await
            .map_err(Error::CommunicationError)?;
        match response.status().as_u16() {
            200 => ResponseValue::from_response(response).await,
            400..=599 => Err(Error::ErrorResponse(
                ResponseValue::from_response(response).await?,
            )),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
