//! The PostgreSQL store against a real PostgreSQL, when `TSPOT_TEST_POSTGRES` names one
//! (`tests/postgres/start.sh`); skipped with a note otherwise. Each test works in a schema of
//! its own.

use std::sync::Arc;

use super::PostgresStore;
use crate::store::{
    Kind, ObjectStore, ObjectWrite, PrincipalRecord, PrincipalStore, SessionStore, Store, SyncPlan,
    ThrottlePolicy, ThrottleStore, Write,
};
use crate::testing::{ScratchSchema, session};

/// `None` without a test database.
fn fresh_schema() -> Option<ScratchSchema> {
    ScratchSchema::new("the PostgreSQL store test")
}

fn group(name: &str) -> Write {
    Write {
        id: uuid::Uuid::new_v4().to_string(),
        kind: Kind::Group,
        name: name.into(),
        principal_type: "LOCAL_GROUP".into(),
        display_name: name.into(),
        description: None,
        mail: None,
        visibility: "DEFAULT".into(),
        password_hash: None,
        group_names: [crate::ALL_GROUP.to_string()].into(),
    }
}

#[test]
fn replicas_starting_together_migrate_once_and_bootstrap_once() {
    let Some(schema) = fresh_schema() else { return };
    let url = schema.url.clone();
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let store = PostgresStore::connect(&url, None).expect("connects and migrates");
                store.bootstrap("hash", 1).expect("bootstraps")
            })
        })
        .collect();
    let created: usize = starts
        .into_iter()
        .map(|t| usize::from(t.join().expect("no panic")))
        .sum();
    assert_eq!(
        created, 1,
        "exactly one replica creates the system principals"
    );
    let store = PostgresStore::connect(&url, None).unwrap();
    assert_eq!(store.principals().unwrap().len(), 3);
    let mut client = store.pool().get().unwrap();
    let versions: Vec<i32> = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, vec![1, 2, 3, 4]);
}

#[test]
fn a_change_through_one_replica_moves_the_versions_every_replica_reads() {
    let Some(schema) = fresh_schema() else { return };
    let url = schema.url.clone();
    let a = PostgresStore::connect(&url, None).unwrap();
    let b = PostgresStore::connect(&url, None).unwrap();
    a.bootstrap("hash", 1).unwrap();
    let admin = b.credentials(crate::ADMIN_USER).unwrap().unwrap();
    a.insert_session(&session("t1", &admin.id)).unwrap();
    assert_eq!(b.session("t1").unwrap().unwrap().user_id, admin.id);

    let auth = b.auth_version().unwrap();
    assert!(a.delete_session("t1").unwrap());
    assert!(
        b.auth_version().unwrap() > auth,
        "logout moves the auth version"
    );
    assert!(b.session("t1").unwrap().is_none());

    let auth = b.auth_version().unwrap();
    a.set_password_hash(&admin.id, "new", 2, None).unwrap();
    assert!(
        b.auth_version().unwrap() > auth,
        "a password change moves it"
    );
    assert_eq!(
        b.credentials(crate::ADMIN_USER)
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("new")
    );

    let catalog = b.catalog_version().unwrap();
    a.put_objects(&[object("o1")], &admin.id, 3).unwrap();
    assert!(
        b.catalog_version().unwrap() > catalog,
        "an import moves the catalog version"
    );
    let (version, objects, _) = b.catalog_snapshot().unwrap();
    assert_eq!(version, b.catalog_version().unwrap());
    assert_eq!(objects.len(), 1);
}

fn object(id: &str) -> ObjectWrite {
    ObjectWrite {
        id: id.into(),
        type_: "LOGICAL_TABLE".into(),
        subtype: Some("ONE_TO_ONE_LOGICAL".into()),
        tml_type: "table".into(),
        name: id.into(),
        description: None,
        tml: "{}".into(),
        depends_on: vec![],
        visualizations: vec![],
        columns: vec!["a".into(), "b".into()],
        tags: vec!["shared tag".into()],
        shared_with: vec![],
    }
}

#[test]
fn concurrent_writes_through_two_replicas_lose_nothing() {
    let Some(schema) = fresh_schema() else { return };
    let url = schema.url.clone();
    let a = Arc::new(PostgresStore::connect(&url, None).unwrap());
    let b = Arc::new(PostgresStore::connect(&url, None).unwrap());
    a.bootstrap("hash", 1).unwrap();
    let admin = a.credentials(crate::ADMIN_USER).unwrap().unwrap().id;
    let policy = ThrottlePolicy::default();
    const EACH: usize = 20;
    let workers: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .enumerate()
        .map(|(n, store)| {
            let admin = admin.clone();
            std::thread::spawn(move || {
                for i in 0..EACH {
                    // The same counter from both replicas: a read-modify-write.
                    store
                        .record_sign_in_failure("ann", "10.0.0.1", 10 + i as i64, &policy)
                        .unwrap();
                    // Groups added by a sync that reads every principal first.
                    let name = format!("G{n}-{i}");
                    let mut plan = |_: &[PrincipalRecord]| {
                        Ok(SyncPlan {
                            create: vec![group(&name)],
                            ..SyncPlan::default()
                        })
                    };
                    store.sync_principals(&mut plan, true, 10).unwrap().unwrap();
                    // Objects sharing one tag.
                    store
                        .put_objects(&[object(&format!("o{n}-{i}"))], &admin, 10)
                        .unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("no panic");
    }
    let failures: i64 = a
        .pool()
        .get()
        .unwrap()
        .query_one(
            "SELECT failures FROM sign_in_failures WHERE subject = 'ann'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(failures, 2 * EACH as i64);
    assert_eq!(b.principals().unwrap().len(), 3 + 2 * EACH);
    assert_eq!(b.objects().unwrap().len(), 2 * EACH);
    assert_eq!(b.tags().unwrap().len(), 1);
}

#[test]
fn a_read_snapshot_does_not_see_later_commits() {
    let Some(schema) = fresh_schema() else { return };
    let url = schema.url.clone();
    let a = PostgresStore::connect(&url, None).unwrap();
    let b = PostgresStore::connect(&url, None).unwrap();
    a.bootstrap("hash", 1).unwrap();
    let admin = a.credentials(crate::ADMIN_USER).unwrap().unwrap().id;
    let mut seen = (0, 0);
    b.read_snapshot(&mut || {
        let before = b.objects().unwrap().len();
        a.put_objects(&[object("late")], &admin, 2).unwrap();
        seen = (before, b.objects().unwrap().len());
    })
    .unwrap();
    assert_eq!(seen, (0, 0));
    assert_eq!(b.objects().unwrap().len(), 1);
}

#[test]
fn an_unreachable_database_or_a_wrong_password_fails_at_connect() {
    let Some(schema) = fresh_schema() else { return };
    let url = schema.url.clone();
    let wrong = url.replacen("tspot:tspot@", "tspot:wrong@", 1);
    let error = PostgresStore::connect(&wrong, None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot connect to"), "{error}");
    assert!(!error.contains("wrong"), "the password stays out: {error}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let error = PostgresStore::connect(&format!("postgres://tspot@127.0.0.1:{port}/x"), None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot connect to"), "{error}");
}
