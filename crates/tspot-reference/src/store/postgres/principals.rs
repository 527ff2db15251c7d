//! Users, groups, memberships, privileges and passwords in PostgreSQL.

use std::collections::BTreeSet;

use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use super::{AUTH, CATALOG, PostgresStore, bump};
use crate::store::{
    AutoUser, Credentials, GroupRecord, Kind, PrincipalRecord, PrincipalStore, PrivilegeRefusal,
    StoreError, StoreResult, SyncPlan, SyncRefusal, Write,
};

/// Names sort by code point (`COLLATE "C"`), as SQLite's do, whatever the database's collation.
const PRINCIPAL_COLUMNS: &str = "p.id, p.kind, p.name, p.principal_type, p.display_name, \
     p.description, p.mail, p.visibility, p.is_system, p.created, p.modified, \
     ARRAY(SELECT g.name FROM memberships m JOIN principals g ON g.id = m.group_id \
           WHERE m.member_id = p.id ORDER BY g.name COLLATE \"C\")";

/// Statements that hand a deleted principal's objects to the admin (`$1` deleted, `$2` admin).
const REASSIGN_TO_ADMIN: [&str; 6] = [
    "UPDATE objects SET owner_id = $2 WHERE owner_id = $1",
    "UPDATE objects SET author_id = $2 WHERE author_id = $1",
    "UPDATE objects SET modified_by = $2 WHERE modified_by = $1",
    "UPDATE connections SET owner_id = $2 WHERE owner_id = $1",
    "UPDATE connections SET author_id = $2 WHERE author_id = $1",
    "UPDATE connections SET modified_by = $2 WHERE modified_by = $1",
];

fn principal_from_row(row: &Row) -> PrincipalRecord {
    let kind: String = row.get(1);
    PrincipalRecord {
        id: row.get(0),
        kind: if kind == "USER" {
            Kind::User
        } else {
            Kind::Group
        },
        name: row.get(2),
        principal_type: row.get(3),
        display_name: row.get(4),
        description: row.get(5),
        mail: row.get(6),
        visibility: row.get(7),
        is_system: row.get(8),
        created: row.get(9),
        modified: row.get(10),
        group_names: row.get(11),
    }
}

fn query_principals(
    c: &mut impl GenericClient,
    filter: &str,
    args: &[&(dyn ToSql + Sync)],
) -> StoreResult<Vec<PrincipalRecord>> {
    let sql = format!(
        "SELECT {PRINCIPAL_COLUMNS} FROM principals p {filter} \
         ORDER BY p.kind DESC, p.name COLLATE \"C\""
    );
    Ok(c.query(&sql, args)?
        .iter()
        .map(principal_from_row)
        .collect())
}

fn group_id(c: &mut impl GenericClient, name: &str) -> StoreResult<Option<String>> {
    Ok(c.query_opt(
        "SELECT id FROM principals WHERE kind = 'GROUP' AND name = $1",
        &[&name],
    )?
    .map(|r| r.get(0)))
}

/// A principal to insert.
struct NewPrincipal<'a> {
    id: &'a str,
    kind: Kind,
    name: &'a str,
    principal_type: &'a str,
    display_name: &'a str,
    description: Option<&'a str>,
    mail: Option<&'a str>,
    visibility: &'a str,
    password_hash: Option<&'a str>,
    is_system: bool,
}

fn insert_principal(c: &mut impl GenericClient, p: &NewPrincipal<'_>, now: i64) -> StoreResult<()> {
    c.execute(
        "INSERT INTO principals (id, kind, name, principal_type, display_name, description, mail, \
         visibility, password_hash, is_system, created, modified) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        &[
            &p.id,
            &p.kind.as_str(),
            &p.name,
            &p.principal_type,
            &p.display_name,
            &p.description,
            &p.mail,
            &p.visibility,
            &p.password_hash,
            &p.is_system,
            &now,
        ],
    )?;
    Ok(())
}

fn add_membership(c: &mut impl GenericClient, member: &str, group: &str) -> StoreResult<()> {
    c.execute(
        "INSERT INTO memberships (member_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&member, &group],
    )?;
    Ok(())
}

fn set_memberships(
    c: &mut impl GenericClient,
    member_id: &str,
    groups: &BTreeSet<String>,
) -> StoreResult<()> {
    c.execute(
        "DELETE FROM memberships WHERE member_id = $1",
        &[&member_id],
    )?;
    for group in groups {
        let id = group_id(c, group)?.ok_or_else(|| {
            StoreError::Inconsistent(format!("group {group} vanished inside a transaction"))
        })?;
        add_membership(c, member_id, &id)?;
    }
    Ok(())
}

fn group_record(c: &mut impl GenericClient, name: &str) -> StoreResult<Option<GroupRecord>> {
    let Some(principal) = query_principals(c, "WHERE p.kind = 'GROUP' AND p.name = $1", &[&name])?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let privileges = c
        .query(
            "SELECT privilege FROM group_privileges WHERE group_id = $1",
            &[&principal.id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(Some(GroupRecord {
        principal,
        privileges,
    }))
}

fn apply_write(c: &mut impl GenericClient, w: &Write, create: bool, now: i64) -> StoreResult<()> {
    if create {
        insert_principal(
            c,
            &NewPrincipal {
                id: &w.id,
                kind: w.kind,
                name: &w.name,
                principal_type: &w.principal_type,
                display_name: &w.display_name,
                description: w.description.as_deref(),
                mail: w.mail.as_deref(),
                visibility: &w.visibility,
                password_hash: w.password_hash.as_deref(),
                is_system: false,
            },
            now,
        )
    } else {
        c.execute(
            "UPDATE principals SET principal_type = $2, display_name = $3, description = $4, \
             mail = $5, visibility = $6, modified = $7 WHERE id = $1",
            &[
                &w.id,
                &w.principal_type,
                &w.display_name,
                &w.description,
                &w.mail,
                &w.visibility,
                &now,
            ],
        )?;
        Ok(())
    }
}

fn system_group<'a>(id: &'a str, name: &'a str, display: &'a str) -> NewPrincipal<'a> {
    NewPrincipal {
        id,
        kind: Kind::Group,
        name,
        principal_type: "LOCAL_GROUP",
        display_name: display,
        description: None,
        mail: None,
        visibility: "DEFAULT",
        password_hash: None,
        is_system: true,
    }
}

impl PrincipalStore for PostgresStore {
    fn bootstrap(&self, admin_password_hash: &str, now: i64) -> StoreResult<bool> {
        self.write(|tx| {
            let existing: i64 = tx.query_one("SELECT count(*) FROM principals", &[])?.get(0);
            if existing > 0 {
                return Ok(false);
            }
            let all = uuid::Uuid::new_v4().to_string();
            let admins = uuid::Uuid::new_v4().to_string();
            let admin = uuid::Uuid::new_v4().to_string();
            let mut everyone = system_group(&all, crate::ALL_GROUP, "All");
            everyone.description = Some("Every user and group is a member");
            insert_principal(tx, &everyone, now)?;
            insert_principal(
                tx,
                &system_group(&admins, crate::ADMIN_GROUP, "Administration Group"),
                now,
            )?;
            insert_principal(
                tx,
                &NewPrincipal {
                    id: &admin,
                    kind: Kind::User,
                    name: crate::ADMIN_USER,
                    principal_type: "LOCAL_USER",
                    display_name: "Administrator",
                    description: None,
                    mail: None,
                    visibility: "DEFAULT",
                    password_hash: Some(admin_password_hash),
                    is_system: true,
                },
                now,
            )?;
            for (member, group) in [(&admins, &all), (&admin, &all), (&admin, &admins)] {
                add_membership(tx, member, group)?;
            }
            tx.execute(
                "INSERT INTO group_privileges (group_id, privilege) VALUES ($1, 'ADMINISTRATION')",
                &[&admins],
            )?;
            bump(tx, AUTH)?;
            Ok(true)
        })
    }

    fn principals(&self) -> StoreResult<Vec<PrincipalRecord>> {
        self.read(|c| query_principals(c, "", &[]))
    }

    fn principal(&self, kind: Kind, name: &str) -> StoreResult<Option<PrincipalRecord>> {
        Ok(self
            .read(|c| {
                query_principals(
                    c,
                    "WHERE p.kind = $1 AND p.name = $2",
                    &[&kind.as_str(), &name],
                )
            })?
            .into_iter()
            .next())
    }

    fn principal_by_id(&self, id: &str) -> StoreResult<Option<PrincipalRecord>> {
        Ok(self
            .read(|c| query_principals(c, "WHERE p.id = $1", &[&id]))?
            .into_iter()
            .next())
    }

    fn credentials(&self, user_name: &str) -> StoreResult<Option<Credentials>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT id, name, password_hash, is_system \
                 FROM principals WHERE kind = 'USER' AND name = $1",
                &[&user_name],
            )?
            .map(|r| Credentials {
                id: r.get(0),
                name: r.get(1),
                password_hash: r.get(2),
                is_system: r.get(3),
            }))
        })
    }

    fn privileges(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|c| {
            Ok(c.query(
                "WITH RECURSIVE ancestors(id) AS ( \
                     SELECT group_id FROM memberships WHERE member_id = $1 \
                     UNION SELECT m.group_id FROM memberships m JOIN ancestors a ON m.member_id = a.id) \
                 SELECT DISTINCT privilege FROM group_privileges \
                 WHERE group_id IN (SELECT id FROM ancestors)",
                &[&user_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn set_password_hash(
        &self,
        user_id: &str,
        hash: &str,
        now: i64,
        keep_session: Option<&str>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE principals SET password_hash = $2, modified = $3 WHERE id = $1",
                &[&user_id, &hash, &now],
            )?;
            tx.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2",
                &[&user_id, &keep_session],
            )?;
            bump(tx, AUTH)
        })
    }

    fn sync_principals(
        &self,
        plan: &mut dyn FnMut(&[PrincipalRecord]) -> Result<SyncPlan, SyncRefusal>,
        apply: bool,
        now: i64,
    ) -> StoreResult<Result<SyncPlan, SyncRefusal>> {
        self.write(|tx| {
            let current = query_principals(tx, "", &[])?;
            let plan = match plan(&current) {
                Ok(plan) => plan,
                Err(refusal) => return Ok(Err(refusal)),
            };
            if !apply {
                return Ok(Ok(plan));
            }
            if !plan.delete.is_empty() {
                // Deleted users' content goes to the admin account, as in ThoughtSpot.
                let admin: String = tx
                    .query_one(
                        "SELECT id FROM principals WHERE kind = 'USER' AND name = $1",
                        &[&crate::ADMIN_USER],
                    )?
                    .get(0);
                for principal in &plan.delete {
                    for statement in REASSIGN_TO_ADMIN {
                        tx.execute(statement, &[&principal.id, &admin])?;
                    }
                    tx.execute("DELETE FROM principals WHERE id = $1", &[&principal.id])?;
                }
                bump(tx, CATALOG)?;
            }
            for write in &plan.create {
                apply_write(tx, write, true, now)?;
            }
            for write in &plan.update {
                apply_write(tx, write, false, now)?;
            }
            for write in plan.create.iter().chain(&plan.update) {
                set_memberships(tx, &write.id, &write.group_names)?;
            }
            bump(tx, AUTH)?;
            Ok(Ok(plan))
        })
    }

    fn change_privilege(
        &self,
        groups: &[String],
        privilege: &str,
        grant: bool,
        now: i64,
    ) -> StoreResult<Result<Vec<GroupRecord>, PrivilegeRefusal>> {
        self.write(|tx| {
            let mut ids = Vec::new();
            let mut unknown = Vec::new();
            for name in groups {
                match group_id(tx, name)? {
                    Some(id) => ids.push(id),
                    None => unknown.push(name.clone()),
                }
            }
            if !unknown.is_empty() {
                return Ok(Err(PrivilegeRefusal::UnknownGroups(unknown)));
            }
            for id in &ids {
                if grant {
                    tx.execute(
                        "INSERT INTO group_privileges (group_id, privilege) VALUES ($1, $2) \
                         ON CONFLICT DO NOTHING",
                        &[id, &privilege],
                    )?;
                } else {
                    tx.execute(
                        "DELETE FROM group_privileges WHERE group_id = $1 AND privilege = $2",
                        &[id, &privilege],
                    )?;
                }
                tx.execute(
                    "UPDATE principals SET modified = $2 WHERE id = $1",
                    &[id, &now],
                )?;
            }
            let mut records = Vec::new();
            for name in groups {
                if let Some(record) = group_record(tx, name)? {
                    records.push(record);
                }
            }
            bump(tx, AUTH)?;
            Ok(Ok(records))
        })
    }

    fn record_ownership_transfer(
        &self,
        from_user: &str,
        to_user: &str,
        object_ids: Option<&[String]>,
        requested_by: &str,
        now: i64,
    ) -> StoreResult<()> {
        let objects = object_ids.map(|ids| serde_json::Value::from(ids.to_vec()).to_string());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO ownership_transfers (from_user, to_user, object_ids, requested_by, at) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[&from_user, &to_user, &objects, &requested_by, &now],
            )?;
            Ok(())
        })
    }

    fn ensure_user(&self, user: &AutoUser, now: i64) -> StoreResult<PrincipalRecord> {
        self.write(|tx| {
            let found =
                query_principals(tx, "WHERE p.kind = 'USER' AND p.name = $1", &[&user.name])?;
            let user_id = match found.into_iter().next() {
                Some(existing) => existing.id,
                None => {
                    let id = uuid::Uuid::new_v4().to_string();
                    insert_principal(
                        tx,
                        &NewPrincipal {
                            id: &id,
                            kind: Kind::User,
                            name: &user.name,
                            principal_type: "LOCAL_USER",
                            display_name: user.display_name.as_deref().unwrap_or(&user.name),
                            description: None,
                            mail: user.mail.as_deref(),
                            visibility: "DEFAULT",
                            password_hash: None,
                            is_system: false,
                        },
                        now,
                    )?;
                    id
                }
            };
            let mut groups: BTreeSet<String> = user.groups.iter().cloned().collect();
            groups.insert(crate::ALL_GROUP.to_string());
            for group in &groups {
                let group_id = match group_id(tx, group)? {
                    Some(id) => id,
                    None => {
                        let id = uuid::Uuid::new_v4().to_string();
                        let mut new = system_group(&id, group, group);
                        new.is_system = false;
                        insert_principal(tx, &new, now)?;
                        let all = group_id(tx, crate::ALL_GROUP)?.ok_or_else(|| {
                            StoreError::Inconsistent("the All group is missing".into())
                        })?;
                        add_membership(tx, &id, &all)?;
                        id
                    }
                };
                add_membership(tx, &user_id, &group_id)?;
            }
            let record = query_principals(tx, "WHERE p.id = $1", &[&user_id])?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    StoreError::Inconsistent("user vanished inside a transaction".into())
                })?;
            bump(tx, AUTH)?;
            Ok(record)
        })
    }
}
