//! `user/sync` planning: the pure part. Given what the store holds and the list the caller sent,
//! decide what to create, update and delete. The store applies the plan in one transaction.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::store::{Kind, PrincipalRecord, SyncPlan, SyncRefusal, Write, kind_of};

/// The principals that exist from the first start on and that a sync never deletes or changes.
pub const SYSTEM_PRINCIPALS: [(Kind, &str); 3] = [
    (Kind::User, crate::ADMIN_USER),
    (Kind::Group, crate::ADMIN_GROUP),
    (Kind::Group, crate::ALL_GROUP),
];

/// One principal of the caller's list.
#[derive(Debug, Clone)]
pub struct Desired {
    pub name: String,
    pub principal_type: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub visibility: Option<String>,
    pub group_names: Vec<String>,
    /// Only used when the principal is a new local user.
    pub password: Option<String>,
}

impl Desired {
    pub fn kind(&self) -> Kind {
        kind_of(&self.principal_type)
    }
}

pub fn is_system(kind: Kind, name: &str) -> bool {
    SYSTEM_PRINCIPALS.contains(&(kind, name))
}

/// Decides the changes. `password_hashes` maps a clear-text password to its hash, computed
/// beforehand because hashing is slow and must not hold the store's lock.
pub fn plan(
    current: &[PrincipalRecord],
    desired: &[Desired],
    remove_deleted: bool,
    default_password: Option<&str>,
    password_hashes: &HashMap<String, String>,
) -> Result<SyncPlan, SyncRefusal> {
    let mut seen = HashSet::new();
    for d in desired {
        if d.name.trim().is_empty() {
            return Err(SyncRefusal::EmptyName);
        }
        if !seen.insert((d.kind(), d.name.as_str())) {
            return Err(SyncRefusal::Duplicate(d.name.clone()));
        }
    }
    let existing: HashMap<(Kind, &str), &PrincipalRecord> = current
        .iter()
        .map(|p| ((p.kind, p.name.as_str()), p))
        .collect();
    let wanted: HashSet<(Kind, &str)> = desired
        .iter()
        .map(|d| (d.kind(), d.name.as_str()))
        .collect();

    let mut plan = SyncPlan::default();
    if remove_deleted {
        plan.delete = current
            .iter()
            .filter(|p| !p.is_system && !wanted.contains(&(p.kind, p.name.as_str())))
            .cloned()
            .collect();
    }
    let deleted: HashSet<&str> = plan
        .delete
        .iter()
        .filter(|p| p.kind == Kind::Group)
        .map(|p| p.name.as_str())
        .collect();
    let groups_afterwards: HashSet<&str> = current
        .iter()
        .filter(|p| p.kind == Kind::Group && !deleted.contains(p.name.as_str()))
        .map(|p| p.name.as_str())
        .chain(
            desired
                .iter()
                .filter(|d| d.kind() == Kind::Group)
                .map(|d| d.name.as_str()),
        )
        .collect();

    for d in desired {
        let kind = d.kind();
        if is_system(kind, &d.name) {
            continue;
        }
        let mut groups: BTreeSet<String> = BTreeSet::new();
        for group in &d.group_names {
            if !groups_afterwards.contains(group.as_str()) {
                return Err(SyncRefusal::UnknownGroup {
                    group: group.clone(),
                    member: d.name.clone(),
                });
            }
            if kind == Kind::Group && group == &d.name {
                return Err(SyncRefusal::OwnMember(d.name.clone()));
            }
            groups.insert(group.clone());
        }
        groups.insert(crate::ALL_GROUP.to_string());
        let visibility = d.visibility.clone().unwrap_or_else(|| "DEFAULT".into());
        match existing.get(&(kind, d.name.as_str())) {
            Some(current) => {
                let write = Write {
                    id: current.id.clone(),
                    kind,
                    name: d.name.clone(),
                    principal_type: d.principal_type.clone(),
                    display_name: d
                        .display_name
                        .clone()
                        .unwrap_or_else(|| current.display_name.clone()),
                    description: d.description.clone(),
                    mail: d.mail.clone(),
                    visibility,
                    password_hash: None,
                    group_names: groups,
                };
                let unchanged = write.principal_type == current.principal_type
                    && write.display_name == current.display_name
                    && write.description == current.description
                    && write.mail == current.mail
                    && write.visibility == current.visibility
                    && write.group_names.iter().eq(current.group_names.iter());
                if !unchanged {
                    plan.update.push(write);
                }
            }
            None => {
                let password_hash = if d.principal_type == "LOCAL_USER" {
                    let password = d
                        .password
                        .as_deref()
                        .or(default_password)
                        .filter(|p| !p.is_empty())
                        .ok_or_else(|| SyncRefusal::NeedsPassword(d.name.clone()))?;
                    Some(
                        password_hashes
                            .get(password)
                            .cloned()
                            .ok_or(SyncRefusal::Changed)?,
                    )
                } else {
                    None
                };
                plan.create.push(Write {
                    id: uuid::Uuid::new_v4().to_string(),
                    kind,
                    name: d.name.clone(),
                    principal_type: d.principal_type.clone(),
                    display_name: d.display_name.clone().unwrap_or_else(|| d.name.clone()),
                    description: d.description.clone(),
                    mail: d.mail.clone(),
                    visibility,
                    password_hash,
                    group_names: groups,
                });
            }
        }
    }
    // Groups first, so memberships of new users can point at new groups.
    plan.create.sort_by_key(|w| w.kind != Kind::Group);
    Ok(plan)
}

/// The clear-text passwords that new local users of this sync would get.
pub fn passwords_needed<'a>(
    current: &[PrincipalRecord],
    desired: &'a [Desired],
    default_password: Option<&'a str>,
) -> BTreeSet<&'a str> {
    let existing: HashSet<(Kind, &str)> =
        current.iter().map(|p| (p.kind, p.name.as_str())).collect();
    desired
        .iter()
        .filter(|d| {
            d.principal_type == "LOCAL_USER" && !existing.contains(&(Kind::User, d.name.as_str()))
        })
        .filter_map(|d| d.password.as_deref().or(default_password))
        .filter(|p| !p.is_empty())
        .collect()
}
