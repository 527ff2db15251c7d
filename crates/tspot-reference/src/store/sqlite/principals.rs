//! Users, groups, memberships, privileges and passwords in SQLite.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::{SqliteStore, split_names, write_tx};
use crate::store::{
    AutoUser, Credentials, GroupRecord, Kind, PrincipalRecord, PrincipalStore, PrivilegeRefusal,
    StoreError, StoreResult, SyncPlan, SyncRefusal, Write,
};

const PRINCIPAL_COLUMNS: &str = "p.id, p.kind, p.name, p.principal_type, p.display_name, \
     p.description, p.mail, p.visibility, p.is_system, p.created, p.modified, \
     (SELECT group_concat(name, char(31)) FROM (SELECT g.name AS name FROM memberships m \
      JOIN principals g ON g.id = m.group_id WHERE m.member_id = p.id ORDER BY g.name))";

/// Statements that hand a deleted principal's objects to the admin (`?1` deleted, `?2` admin).
const REASSIGN_TO_ADMIN: [&str; 6] = [
    "UPDATE objects SET owner_id = ?2 WHERE owner_id = ?1",
    "UPDATE objects SET author_id = ?2 WHERE author_id = ?1",
    "UPDATE objects SET modified_by = ?2 WHERE modified_by = ?1",
    "UPDATE connections SET owner_id = ?2 WHERE owner_id = ?1",
    "UPDATE connections SET author_id = ?2 WHERE author_id = ?1",
    "UPDATE connections SET modified_by = ?2 WHERE modified_by = ?1",
];

fn principal_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PrincipalRecord> {
    let kind: String = row.get(1)?;
    let groups: Option<String> = row.get(11)?;
    Ok(PrincipalRecord {
        id: row.get(0)?,
        kind: if kind == "USER" {
            Kind::User
        } else {
            Kind::Group
        },
        name: row.get(2)?,
        principal_type: row.get(3)?,
        display_name: row.get(4)?,
        description: row.get(5)?,
        mail: row.get(6)?,
        visibility: row.get(7)?,
        is_system: row.get(8)?,
        created: row.get(9)?,
        modified: row.get(10)?,
        group_names: split_names(groups),
    })
}

fn query_principals(
    connection: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> StoreResult<Vec<PrincipalRecord>> {
    let sql = format!(
        "SELECT {PRINCIPAL_COLUMNS} FROM principals p {filter} ORDER BY p.kind DESC, p.name"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(args, principal_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn group_id(tx: &Connection, name: &str) -> StoreResult<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT id FROM principals WHERE kind = 'GROUP' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

#[allow(clippy::too_many_arguments)]
fn insert_principal(
    tx: &Connection,
    id: &str,
    kind: Kind,
    name: &str,
    principal_type: &str,
    display_name: &str,
    description: Option<&str>,
    mail: Option<&str>,
    visibility: &str,
    password_hash: Option<&str>,
    is_system: bool,
    now: i64,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO principals (id, kind, name, principal_type, display_name, description, mail, \
         visibility, password_hash, is_system, created, modified) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            id,
            kind.as_str(),
            name,
            principal_type,
            display_name,
            description,
            mail,
            visibility,
            password_hash,
            is_system,
            now
        ],
    )?;
    Ok(())
}

fn set_memberships(tx: &Connection, member_id: &str, groups: &BTreeSet<String>) -> StoreResult<()> {
    tx.execute("DELETE FROM memberships WHERE member_id = ?1", [member_id])?;
    for group in groups {
        let id = group_id(tx, group)?.ok_or_else(|| {
            StoreError::Inconsistent(format!("group {group} vanished inside a transaction"))
        })?;
        tx.execute(
            "INSERT INTO memberships (member_id, group_id) VALUES (?1, ?2)",
            [member_id, &id],
        )?;
    }
    Ok(())
}

fn group_record(tx: &Connection, name: &str) -> StoreResult<Option<GroupRecord>> {
    let Some(principal) = query_principals(tx, "WHERE p.kind = 'GROUP' AND p.name = ?1", &[&name])?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let mut statement =
        tx.prepare_cached("SELECT privilege FROM group_privileges WHERE group_id = ?1")?;
    let privileges = statement
        .query_map([&principal.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(GroupRecord {
        principal,
        privileges,
    }))
}

fn apply_write(tx: &Connection, write: &Write, create: bool, now: i64) -> StoreResult<()> {
    if create {
        insert_principal(
            tx,
            &write.id,
            write.kind,
            &write.name,
            &write.principal_type,
            &write.display_name,
            write.description.as_deref(),
            write.mail.as_deref(),
            &write.visibility,
            write.password_hash.as_deref(),
            false,
            now,
        )?;
    } else {
        tx.execute(
            "UPDATE principals SET principal_type = ?2, display_name = ?3, description = ?4, \
             mail = ?5, visibility = ?6, modified = ?7 WHERE id = ?1",
            params![
                write.id,
                write.principal_type,
                write.display_name,
                write.description,
                write.mail,
                write.visibility,
                now
            ],
        )?;
    }
    Ok(())
}

impl PrincipalStore for SqliteStore {
    fn bootstrap(&self, admin_password_hash: &str, now: i64) -> StoreResult<bool> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let existing: i64 = tx.query_row("SELECT count(*) FROM principals", [], |r| r.get(0))?;
        if existing > 0 {
            return Ok(false);
        }
        let all = uuid::Uuid::new_v4().to_string();
        let admins = uuid::Uuid::new_v4().to_string();
        let admin = uuid::Uuid::new_v4().to_string();
        insert_principal(
            &tx,
            &all,
            Kind::Group,
            crate::ALL_GROUP,
            "LOCAL_GROUP",
            "All",
            Some("Every user and group is a member"),
            None,
            "DEFAULT",
            None,
            true,
            now,
        )?;
        insert_principal(
            &tx,
            &admins,
            Kind::Group,
            crate::ADMIN_GROUP,
            "LOCAL_GROUP",
            "Administration Group",
            None,
            None,
            "DEFAULT",
            None,
            true,
            now,
        )?;
        insert_principal(
            &tx,
            &admin,
            Kind::User,
            crate::ADMIN_USER,
            "LOCAL_USER",
            "Administrator",
            None,
            None,
            "DEFAULT",
            Some(admin_password_hash),
            true,
            now,
        )?;
        for (member, group) in [(&admins, &all), (&admin, &all), (&admin, &admins)] {
            tx.execute(
                "INSERT INTO memberships (member_id, group_id) VALUES (?1, ?2)",
                [member, group],
            )?;
        }
        tx.execute(
            "INSERT INTO group_privileges (group_id, privilege) VALUES (?1, 'ADMINISTRATION')",
            [&admins],
        )?;
        tx.commit()?;
        self.principals_changed();
        Ok(true)
    }

    fn principals(&self) -> StoreResult<Vec<PrincipalRecord>> {
        self.read(|c| query_principals(c, "", &[]))
    }

    fn principal(&self, kind: Kind, name: &str) -> StoreResult<Option<PrincipalRecord>> {
        Ok(self
            .read(|c| {
                query_principals(
                    c,
                    "WHERE p.kind = ?1 AND p.name = ?2",
                    &[&kind.as_str(), &name],
                )
            })?
            .into_iter()
            .next())
    }

    fn principal_by_id(&self, id: &str) -> StoreResult<Option<PrincipalRecord>> {
        Ok(self
            .read(|c| query_principals(c, "WHERE p.id = ?1", &[&id]))?
            .into_iter()
            .next())
    }

    fn credentials(&self, user_name: &str) -> StoreResult<Option<Credentials>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT id, name, password_hash, is_system \
                 FROM principals WHERE kind = 'USER' AND name = ?1",
                [user_name],
                |r| {
                    Ok(Credentials {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        password_hash: r.get(2)?,
                        is_system: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })
    }

    fn privileges(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|connection| {
        let mut statement = connection.prepare_cached(
            "WITH RECURSIVE ancestors(id) AS ( \
                 SELECT group_id FROM memberships WHERE member_id = ?1 \
                 UNION SELECT m.group_id FROM memberships m JOIN ancestors a ON m.member_id = a.id) \
             SELECT DISTINCT privilege FROM group_privileges WHERE group_id IN (SELECT id FROM ancestors)",
        )?;
        let privileges = statement
            .query_map([user_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(privileges)
        })
    }

    fn set_password_hash(
        &self,
        user_id: &str,
        hash: &str,
        now: i64,
        keep_session: Option<&str>,
    ) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        tx.execute(
            "UPDATE principals SET password_hash = ?2, modified = ?3, failed_logins = 0, \
             locked_until = 0 WHERE id = ?1",
            params![user_id, hash, now],
        )?;
        tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
            params![user_id, keep_session],
        )?;
        tx.commit()?;
        self.principals_changed();
        Ok(())
    }

    fn sync_principals(
        &self,
        plan: &mut dyn FnMut(&[PrincipalRecord]) -> Result<SyncPlan, SyncRefusal>,
        apply: bool,
        now: i64,
    ) -> StoreResult<Result<SyncPlan, SyncRefusal>> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let current = query_principals(&tx, "", &[])?;
        let plan = match plan(&current) {
            Ok(plan) => plan,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if !apply {
            return Ok(Ok(plan));
        }
        if !plan.delete.is_empty() {
            // Deleted users' content goes to the admin account, as in ThoughtSpot.
            let admin: String = tx.query_row(
                "SELECT id FROM principals WHERE kind = 'USER' AND name = ?1",
                [crate::ADMIN_USER],
                |r| r.get(0),
            )?;
            for principal in &plan.delete {
                for statement in REASSIGN_TO_ADMIN {
                    tx.execute(statement, [&principal.id, &admin])?;
                }
                tx.execute("DELETE FROM principals WHERE id = ?1", [&principal.id])?;
            }
        }
        for write in &plan.create {
            apply_write(&tx, write, true, now)?;
        }
        for write in &plan.update {
            apply_write(&tx, write, false, now)?;
        }
        for write in plan.create.iter().chain(&plan.update) {
            set_memberships(&tx, &write.id, &write.group_names)?;
        }
        tx.commit()?;
        self.principals_changed();
        if !plan.delete.is_empty() {
            self.catalog_changed();
        }
        Ok(Ok(plan))
    }

    fn change_privilege(
        &self,
        groups: &[String],
        privilege: &str,
        grant: bool,
        now: i64,
    ) -> StoreResult<Result<Vec<GroupRecord>, PrivilegeRefusal>> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        for name in groups {
            match group_id(&tx, name)? {
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
                    "INSERT OR IGNORE INTO group_privileges (group_id, privilege) VALUES (?1, ?2)",
                    [id, privilege],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM group_privileges WHERE group_id = ?1 AND privilege = ?2",
                    [id, privilege],
                )?;
            }
            tx.execute(
                "UPDATE principals SET modified = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        let mut records = Vec::new();
        for name in groups {
            if let Some(record) = group_record(&tx, name)? {
                records.push(record);
            }
        }
        tx.commit()?;
        self.principals_changed();
        Ok(Ok(records))
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
        self.lock().execute(
            "INSERT INTO ownership_transfers (from_user, to_user, object_ids, requested_by, at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![from_user, to_user, objects, requested_by, now],
        )?;
        Ok(())
    }

    fn ensure_user(&self, user: &AutoUser, now: i64) -> StoreResult<PrincipalRecord> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let found = query_principals(&tx, "WHERE p.kind = 'USER' AND p.name = ?1", &[&user.name])?;
        let user_id = match found.into_iter().next() {
            Some(existing) => existing.id,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                insert_principal(
                    &tx,
                    &id,
                    Kind::User,
                    &user.name,
                    "LOCAL_USER",
                    user.display_name.as_deref().unwrap_or(&user.name),
                    None,
                    user.mail.as_deref(),
                    "DEFAULT",
                    None,
                    false,
                    now,
                )?;
                id
            }
        };
        let mut groups: BTreeSet<String> = user.groups.iter().cloned().collect();
        groups.insert(crate::ALL_GROUP.to_string());
        for group in &groups {
            let group_id = match group_id(&tx, group)? {
                Some(id) => id,
                None => {
                    let id = uuid::Uuid::new_v4().to_string();
                    insert_principal(
                        &tx,
                        &id,
                        Kind::Group,
                        group,
                        "LOCAL_GROUP",
                        group,
                        None,
                        None,
                        "DEFAULT",
                        None,
                        false,
                        now,
                    )?;
                    let all = group_id(&tx, crate::ALL_GROUP)?.ok_or_else(|| {
                        StoreError::Inconsistent("the All group is missing".into())
                    })?;
                    tx.execute(
                        "INSERT OR IGNORE INTO memberships (member_id, group_id) VALUES (?1, ?2)",
                        [&id, &all],
                    )?;
                    id
                }
            };
            tx.execute(
                "INSERT OR IGNORE INTO memberships (member_id, group_id) VALUES (?1, ?2)",
                [&user_id, &group_id],
            )?;
        }
        let record = query_principals(&tx, "WHERE p.id = ?1", &[&user_id])?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Inconsistent("user vanished inside a transaction".into()))?;
        tx.commit()?;
        self.principals_changed();
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, kind: Kind, groups: &[&str]) -> Write {
        Write {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            name: name.into(),
            principal_type: if kind == Kind::User {
                "LOCAL_USER"
            } else {
                "LOCAL_GROUP"
            }
            .into(),
            display_name: name.into(),
            description: None,
            mail: None,
            visibility: "DEFAULT".into(),
            password_hash: None,
            group_names: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn a_write_that_fails_midway_rolls_the_whole_sync_back() {
        let store = SqliteStore::in_memory().unwrap();
        store.bootstrap("hash", 1).unwrap();
        let before = store.principals().unwrap();
        // The first principals are fine; the last one's membership points at no group, which
        // the store only notices while writing.
        let plan = SyncPlan {
            create: vec![
                write("G1", Kind::Group, &["All"]),
                write("ann", Kind::User, &["All", "G1"]),
                write("zed", Kind::User, &["Vanished"]),
            ],
            update: vec![],
            delete: vec![],
        };
        let mut planner = |_: &[PrincipalRecord]| Ok(plan.clone());
        assert!(store.sync_principals(&mut planner, true, 2).is_err());
        assert_eq!(store.principals().unwrap(), before);
    }

    #[test]
    fn privileges_are_inherited_through_nested_groups() {
        let store = SqliteStore::in_memory().unwrap();
        store.bootstrap("hash", 1).unwrap();
        let plan = SyncPlan {
            create: vec![
                write("Outer", Kind::Group, &["All"]),
                write("Inner", Kind::Group, &["All", "Outer"]),
                write("ann", Kind::User, &["All", "Inner"]),
            ],
            ..SyncPlan::default()
        };
        let mut planner = |_: &[PrincipalRecord]| Ok(plan.clone());
        store
            .sync_principals(&mut planner, true, 2)
            .unwrap()
            .unwrap();
        store
            .change_privilege(&["Outer".into()], "DATADOWNLOADING", true, 3)
            .unwrap()
            .unwrap();
        let ann = store.credentials("ann").unwrap().unwrap();
        assert!(
            store
                .privileges(&ann.id)
                .unwrap()
                .contains("DATADOWNLOADING")
        );
        let admin = store.credentials(crate::ADMIN_USER).unwrap().unwrap();
        assert!(
            store
                .privileges(&admin.id)
                .unwrap()
                .contains("ADMINISTRATION")
        );
        assert!(
            !store
                .privileges(&admin.id)
                .unwrap()
                .contains("DATADOWNLOADING")
        );
    }

    #[test]
    fn bootstrap_happens_once() {
        let store = SqliteStore::in_memory().unwrap();
        assert!(store.bootstrap("hash", 1).unwrap());
        assert!(!store.bootstrap("other", 2).unwrap());
        assert_eq!(store.principals().unwrap().len(), 3);
    }
}
