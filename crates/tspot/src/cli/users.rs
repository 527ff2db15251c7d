//! `tspot users ...`, `tspot groups ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Privilege;

#[derive(Subcommand)]
pub enum UsersCommand {
    /// List users and groups, with the groups each belongs to.
    ///
    /// `--output json` prints the principals as `user/list` returns them, which is also the file
    /// format `tspot users sync` reads.
    List,

    /// Make the server's users, groups and memberships match a file (a dry run unless --apply).
    ///
    /// FILE is a JSON array of principals, as `tspot users list --output json` prints them:
    /// `name`, `displayName`, `principalTypeEnum` (LOCAL_USER, LOCAL_GROUP, ...), `groupNames`,
    /// optionally `password`, `mail`, `description`, `visibility`. `-` reads standard input.
    Sync(SyncArgs),

    /// Change a user's password.
    ///
    /// --current is the password of the signed-in user: your own old password, or, when an
    /// administrator resets another user's password, the administrator's own. Missing passwords
    /// are asked for on a terminal.
    Passwd(PasswdArgs),

    /// Make one user the owner of another user's objects.
    Transfer(TransferArgs),
}

#[derive(Args)]
pub struct SyncArgs {
    /// The principals file (JSON), or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Make the changes. Without it nothing changes and the output says what would.
    #[arg(long)]
    pub apply: bool,

    /// Also delete users and groups that are not in the file.
    #[arg(long)]
    pub remove_deleted: bool,

    /// The password of new local users that have none in the file.
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
}

// No Debug: passwords.
#[derive(Args)]
pub struct PasswdArgs {
    /// The user whose password changes.
    #[arg(value_name = "USER")]
    pub user: String,

    /// The signed-in user's password.
    #[arg(long, value_name = "PASSWORD")]
    pub current: Option<String>,

    /// The new password.
    #[arg(long, value_name = "PASSWORD")]
    pub new: Option<String>,
}

#[derive(Args)]
pub struct TransferArgs {
    /// The user who owns the objects now.
    #[arg(value_name = "FROM")]
    pub from: String,

    /// The user who becomes their owner.
    #[arg(value_name = "TO")]
    pub to: String,

    /// Only this object (a worksheet, table, view, answer or Liveboard, by name or GUID); repeat
    /// for several. Without it: every object FROM owns.
    #[arg(
        long = "object",
        value_name = "NAME_OR_GUID",
        add = clap_complete::ArgValueCompleter::new(super::complete::exportable)
    )]
    pub objects: Vec<String>,
}

#[derive(Subcommand)]
pub enum GroupsCommand {
    /// Grant a privilege to groups.
    Grant(PrivilegeArgs),
    /// Revoke a privilege from groups.
    Revoke(PrivilegeArgs),
}

#[derive(Args)]
pub struct PrivilegeArgs {
    /// The privilege.
    #[arg(value_enum, ignore_case = true, value_name = "PRIVILEGE")]
    pub privilege: Privilege,

    /// The groups, by name.
    #[arg(required = true, value_name = "GROUP")]
    pub groups: Vec<String>,
}
