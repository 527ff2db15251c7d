//! `tspot tml export|import`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use tspot_client::params::{TmlExportLists, TmlImportLists};
use tspot_client::prelude::*;
use tspot_client::{ObjectKind, types};

use super::Done;
use crate::cli::ImportPolicy;
use crate::cli::tml::{ExportArgs, ImportArgs, TmlCommand};
use crate::connection::Session;
use crate::errors::{CliError, Result, call};
use crate::output::{Report, Table};
use crate::progress::Spinner;
use crate::resolve;

pub async fn run(session: &Session, command: TmlCommand) -> Result<Done> {
    match command {
        TmlCommand::Export(args) => export(session, args).await,
        TmlCommand::Import(args) => import(session, args).await,
    }
}

async fn export(session: &Session, args: ExportArgs) -> Result<Done> {
    let spinner = Spinner::start(format!("Finding {} objects", args.ids.len()));
    let mut ids = Vec::new();
    for wanted in &args.ids {
        ids.push(
            resolve::object(&session.client, ObjectKind::Exportable, wanted)
                .await?
                .id,
        );
    }
    spinner.set_message(format!("Exporting {} objects as TML", ids.len()));
    let form = types::TmlExportForm::builder()
        .export_id_list(&ids)
        .export_associated(args.associated)
        .formattype(types::TmlFormat::from(args.format));
    let result = call(session.client.metadata_tml_export().body(form).send()).await?;
    drop(spinner);

    std::fs::create_dir_all(&args.out)
        .map_err(|e| CliError::failed(format!("cannot create {}: {e}", args.out.display())))?;
    let mut table = Table::new(["Status", "Type", "Name", "File", "Message"]);
    let mut json = Vec::new();
    let mut seen = HashSet::new();
    let mut taken = HashSet::new();
    let mut failed = 0;
    for object in result.object {
        let info = object.info;
        // With --associated a dependency shared by several objects comes back more than once.
        if !seen.insert(info.id.clone()) {
            continue;
        }
        let kind = info.type_.clone().unwrap_or_else(|| "object".into());
        let name = info.name.clone().unwrap_or_else(|| info.id.clone());
        let mut status = info.status.status_code.to_string();
        let mut message = info.status.error_message.clone().unwrap_or_default();
        let mut file = None;
        match (&object.edoc, info.status.status_code) {
            (Some(edoc), types::TmlStatusCode::Ok | types::TmlStatusCode::Warning) => {
                let file_name = unique_file_name(&name, &kind, &info.id, &mut taken);
                let path = args.out.join(&file_name);
                let mut text = edoc.clone();
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                std::fs::write(&path, text).map_err(|e| {
                    CliError::failed(format!("cannot write {}: {e}", path.display()))
                })?;
                file = Some(shown(&args.out, &file_name));
            }
            (None, types::TmlStatusCode::Ok | types::TmlStatusCode::Warning) => {
                status = types::TmlStatusCode::Error.to_string();
                message = "the server sent no TML for it".into();
                failed += 1;
            }
            (_, types::TmlStatusCode::Error) => failed += 1,
        }
        table.push([
            Value::from(status.clone()),
            Value::from(kind.clone()),
            Value::from(name.clone()),
            Value::from(file.clone().unwrap_or_default()),
            Value::from(message.clone()),
        ]);
        json.push(json!({
            "id": info.id,
            "name": info.name,
            "type": info.type_,
            "status": status,
            "file": file,
            "message": (!message.is_empty()).then_some(message),
        }));
    }
    let total = table.rows.len();
    Ok(Done {
        report: Report::Table {
            table,
            json: Value::Array(json),
        },
        failure: (failed > 0)
            .then(|| CliError::failed(format!("{failed} of {total} objects were not exported"))),
    })
}

async fn import(session: &Session, args: ImportArgs) -> Result<Done> {
    let files = tml_files(&args.paths)?;
    let mut documents = Vec::with_capacity(files.len());
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::failed(format!("cannot read {}: {e}", file.display())))?;
        documents.push(text);
    }
    let spinner = Spinner::start(format!("Importing {} TML documents", documents.len()));
    let form = types::TmlImportForm::builder()
        .import_object_list(&documents)
        .import_policy(types::TmlImportPolicy::from(args.policy))
        .force_create(args.force_create);
    let result = call(session.client.metadata_tml_import().body(form).send()).await?;
    drop(spinner);

    let mut table = Table::new(["Status", "File", "Type", "Name", "ID", "Message"]);
    let mut json = Vec::new();
    let mut failed = 0;
    for (index, object) in result.object.iter().enumerate() {
        let response = &object.response;
        let file = files
            .get(index)
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        if response.status.status_code == types::TmlStatusCode::Error {
            failed += 1;
        }
        let header = response.header.as_ref();
        table.push([
            Value::from(response.status.status_code.to_string()),
            Value::from(file.clone()),
            Value::from(header.map(|h| h.metadata_type.clone()).unwrap_or_default()),
            Value::from(header.map(|h| h.name.clone()).unwrap_or_default()),
            Value::from(header.map(|h| h.id_guid.clone()).unwrap_or_default()),
            Value::from(response.status.error_message.clone().unwrap_or_default()),
        ]);
        let mut value = serde_json::to_value(response).expect("an import result serializes");
        value["file"] = Value::from(file);
        json.push(value);
    }
    let total = files.len();
    let answered = result.object.len();
    let failure = if answered != total {
        Some(CliError::failed(format!(
            "the server answered for {answered} of {total} documents"
        )))
    } else if failed > 0 {
        Some(CliError::failed(format!(
            "{failed} of {total} objects were not imported"
        )))
    } else {
        None
    };
    if failure.is_none() && args.policy == ImportPolicy::ValidateOnly {
        eprintln!("Validated only: nothing was imported.");
    }
    Ok(Done {
        report: Report::Table {
            table,
            json: Value::Array(json),
        },
        failure,
    })
}

/// The files named, and the `*.tml` files below the directories named, each directory's in
/// name order.
fn tml_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path)
            .map_err(|e| CliError::failed(format!("cannot read {}: {e}", path.display())))?;
        if metadata.is_dir() {
            let before = files.len();
            collect_tml(path, &mut files)?;
            if files.len() == before {
                return Err(CliError::failed(format!(
                    "{} holds no .tml files",
                    path.display()
                )));
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect_tml(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let fail = |e: std::io::Error| CliError::failed(format!("cannot read {}: {e}", dir.display()));
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(fail)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(fail)?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_tml(&entry, files)?;
        } else if entry
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("tml"))
        {
            files.push(entry);
        }
    }
    Ok(())
}

/// `<name>.<type>.tml`, made safe as a file name and unique among this export's files (a second
/// object of the same name and type gets the start of its GUID).
fn unique_file_name(name: &str, kind: &str, id: &str, taken: &mut HashSet<String>) -> String {
    let base = sanitize(name);
    let kind = sanitize(kind);
    let mut file = format!("{base}.{kind}.tml");
    if !taken.insert(file.to_lowercase()) {
        let short: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect();
        file = format!("{base}-{short}.{kind}.tml");
        taken.insert(file.to_lowercase());
    }
    file
}

/// A name as a file name: no path separators, reserved or control characters, no leading dot,
/// at most 150 bytes.
pub fn sanitize(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' ']);
    let mut end = trimmed.len().min(150);
    while !trimmed.is_char_boundary(end) {
        end -= 1;
    }
    let result = trimmed[..end].trim_end();
    if result.is_empty() {
        "unnamed".to_string()
    } else {
        result.to_string()
    }
}

/// How to show a written file: its name alone when written to the current directory.
fn shown(dir: &Path, file_name: &str) -> String {
    if dir == Path::new(".") {
        file_name.to_string()
    } else {
        dir.join(file_name).display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_file_names() {
        assert_eq!(sanitize("Sales Overview"), "Sales Overview");
        assert_eq!(sanitize("a/b\\c: d?"), "a_b_c_ d_");
        assert_eq!(sanitize("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(sanitize("..."), "unnamed");
        assert_eq!(sanitize("tab\there"), "tab_here");
        assert_eq!(sanitize(&"é".repeat(100)).len(), 150);
    }

    #[test]
    fn file_names_are_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            unique_file_name("Sales", "answer", "1234abcd-0000", &mut taken),
            "Sales.answer.tml"
        );
        assert_eq!(
            unique_file_name("sales", "answer", "5678efgh-0000", &mut taken),
            "sales-5678efgh.answer.tml"
        );
        assert_eq!(
            unique_file_name("Sales", "liveboard", "9", &mut taken),
            "Sales.liveboard.tml"
        );
    }

    #[test]
    fn directories_are_searched_for_tml_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in [
            "b.table.tml",
            "a.worksheet.TML",
            "notes.txt",
            "sub/c.answer.tml",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let files = tml_files(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            ["a.worksheet.TML", "b.table.tml", "sub/c.answer.tml"]
        );
        let empty = tempfile::tempdir().unwrap();
        assert!(tml_files(&[empty.path().to_path_buf()]).is_err());
    }
}
