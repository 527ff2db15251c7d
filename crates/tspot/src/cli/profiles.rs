//! `tspot profiles ...`.

use clap::{Args, Subcommand};

#[derive(Args)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub command: Option<ProfilesCommand>,
}

#[derive(Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles: server, user, whether signed in; `*` marks the one commands use.
    List,

    /// Make commands use this profile when neither --profile nor TSPOT_PROFILE says otherwise.
    Use(ProfileName),

    /// Forget a profile (its server, user and session). The server's session is not ended:
    /// `tspot logout --profile NAME` does that.
    Remove(ProfileName),
}

#[derive(Args)]
pub struct ProfileName {
    /// The profile.
    #[arg(value_name = "NAME", value_parser = crate::profile::parse_name)]
    pub name: String,
}
