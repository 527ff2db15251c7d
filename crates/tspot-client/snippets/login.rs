use tspot_client::{ApiError, Client};

/// Signs in with a user name and password; the client keeps the session cookie.
pub async fn sign_in(server: &str, user: &str, password: &str) -> Result<Client, ApiError> {
    let client = Client::for_server(server).map_err(ApiError::from_transport)?;
    if let Err(error) = client.login(user, password).await {
        // ThoughtSpot's message and code ("Invalid username or password (error 10003, HTTP 401)").
        return Err(ApiError::from_error(error).await);
    }
    Ok(client)
}
