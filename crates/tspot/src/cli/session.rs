//! `tspot login`, `tspot token`.

use clap::Args;

use super::AccessLevel;

// No Debug: the arguments hold a password or the trusted-authentication secret.
#[derive(Args)]
pub struct LoginArgs {
    /// The server, e.g. `https://my.thoughtspot.cloud` or `http://127.0.0.1:8088`. Default: the
    /// profile's server when it has signed in before.
    #[arg(long, env = "TSPOT_URL", value_name = "URL")]
    pub url: Option<String>,

    /// Who signs in. Default: the profile's user when it has signed in before.
    #[arg(long, short = 'u', env = "TSPOT_USERNAME", value_name = "USER")]
    pub username: Option<String>,

    /// The password. Without it you are asked on a terminal. Prefer --password-stdin or the
    /// environment variable: other users of the machine can read command lines.
    #[arg(
        long,
        env = "TSPOT_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub password: Option<String>,

    /// Read the password from the first line of standard input, e.g.
    /// `pass show ts | tspot login --password-stdin` (wins over --password and TSPOT_PASSWORD).
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Args)]
pub struct TokenArgs {
    /// The user to issue the token for.
    #[arg(long, value_name = "USER")]
    pub user: String,

    /// The server's trusted-authentication secret key.
    #[arg(
        long,
        env = "TSPOT_TRUSTED_AUTH_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub secret: String,

    /// What the session the token opens may do.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        default_value = "FULL",
        value_name = "LEVEL"
    )]
    pub access_level: AccessLevel,

    /// The Liveboard or visualization a REPORT_BOOK_VIEW session may view (GUID); needed with
    /// REPORT_BOOK_VIEW.
    #[arg(long, value_name = "ID")]
    pub object: Option<String>,

    /// The server. Default: the profile's server.
    #[arg(long, env = "TSPOT_URL", value_name = "URL")]
    pub url: Option<String>,
}
