//! The `metadata` operations: object headers (metadata/listobjectheaders: filtering, sorting and
//! paging) and a Liveboard's visualization headers (metadata/listvizheaders).

use std::collections::HashMap;

use tspot_server::*;

use super::readable;
use crate::Reference;
use crate::analytics::liveboard::{self, Viz, VizKind};
use crate::catalog::Catalog;
use crate::catalog::Entry;
use crate::catalog::access::{Access, DATA_MANAGEMENT};
use crate::store::{Kind, ObjectRecord, PrincipalRecord, Store};

/// `pattern` semantics: case-insensitive, `%` matches any run of characters, and a pattern
/// without `%` matches anywhere in the name (as the ThoughtSpot UI search does).
pub(crate) fn matches_pattern(pattern: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    let pattern = pattern.to_lowercase();
    if !pattern.contains('%') {
        return name.contains(&pattern);
    }
    let parts: Vec<&str> = pattern.split('%').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn principal_header(p: &PrincipalRecord, author: &str) -> types::MetadataHeader {
    types::MetadataHeader {
        author: author.to_string(),
        author_display_name: None,
        author_name: None,
        created: p.created,
        description: p.description.clone(),
        id: p.id.clone(),
        is_auto_created: false,
        is_auto_delete: false,
        is_deleted: Some(false),
        is_hidden: Some(false),
        modified: p.modified,
        modified_by: author.to_string(),
        name: p.name.clone(),
        owner: p.id.clone(),
        subtype: None,
        tags: vec![],
        type_: Some(p.principal_type.clone()),
    }
}

/// Applies every filter, the sort and the page of `listobjectheaders` to a list of headers.
pub(crate) fn select(
    mut headers: Vec<(types::MetadataHeader, String)>,
    input: &MetadataListObjectHeadersInput,
) -> Vec<types::MetadataHeader> {
    headers.retain(|(h, _)| {
        input
            .pattern
            .as_deref()
            .is_none_or(|p| matches_pattern(p, &h.name))
            && input
                .fetchids
                .as_ref()
                .is_none_or(|ids| ids.contains(&h.id))
            && !input
                .skipids
                .as_ref()
                .is_some_and(|ids| ids.contains(&h.id))
            && input
                .auto_created
                .is_none_or(|auto| h.is_auto_created == auto)
            && input
                .tagname
                .as_ref()
                .is_none_or(|tags| tags.is_empty() || h.tags.iter().any(|t| tags.contains(&t.name)))
    });
    let key = |h: &types::MetadataHeader, display: &str| -> (String, i64) {
        match input.sort {
            types::MetadataSort::Created => (String::new(), h.created),
            types::MetadataSort::Modified => (String::new(), h.modified),
            types::MetadataSort::Author => (h.author.clone(), 0),
            types::MetadataSort::DisplayName => (display.to_lowercase(), 0),
            types::MetadataSort::Name | types::MetadataSort::Default => (h.name.to_lowercase(), 0),
        }
    };
    headers.sort_by(|(a, ad), (b, bd)| key(a, ad).cmp(&key(b, bd)).then(a.id.cmp(&b.id)));
    if input.sortascending == Some(false) {
        headers.reverse();
    }
    let offset = usize::try_from(input.offset).unwrap_or(0);
    let page = headers.into_iter().skip(offset).map(|(h, _)| h);
    match usize::try_from(input.batchsize) {
        Ok(size) if input.batchsize > 0 => page.take(size).collect(),
        _ => page.collect(),
    }
}

impl MetadataApi for Reference {
    async fn metadata_list_object_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListObjectHeadersInput,
    ) -> Result<Vec<types::MetadataHeader>, ApiError> {
        let caller = self.full_caller(&ctx).await?;
        let principals = self.principals().await?;
        let headers = self
            .read(move |work| {
                let store = work.store;
                let names: HashMap<&str, &PrincipalRecord> =
                    principals.iter().map(|p| (p.id.as_str(), p)).collect();
                let kind = match input.type_ {
                    Some(types::MetadataType::User) => Some(Kind::User),
                    Some(types::MetadataType::UserGroup) => Some(Kind::Group),
                    _ => None,
                };
                let headers = if let Some(kind) = kind {
                    principals
                        .iter()
                        .filter(|p| p.kind == kind)
                        .map(|p| (principal_header(p, &caller.user_id), p.display_name.clone()))
                        .collect()
                } else {
                    let access = Access::load(store, &caller)?;
                    let catalog = work.catalog()?;
                    let reader = Reader {
                        access: &access,
                        user_id: &caller.user_id,
                        data_manager: caller.is_admin()
                            || caller.privileges.contains(DATA_MANAGEMENT),
                    };
                    object_headers(store, &catalog, &reader, &names, &input)?
                };
                Ok(select(headers, &input))
            })
            .await?;
        Ok(headers)
    }

    async fn metadata_list_viz_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListVizHeadersInput,
    ) -> Result<Vec<types::VizHeader>, ApiError> {
        let caller = self.caller(&ctx).await?;
        let headers = self
            .read(move |work| {
                let store = work.store;
                let access = Access::load(store, &caller)?;
                let catalog = work.catalog()?;
                let entry = readable(&catalog, &access, &input.id)?;
                if !matches!(entry.record.tml_type.as_str(), "liveboard" | "answer") {
                    return Err(ApiError::bad_request(format!(
                        "'{}' is not a Liveboard or an answer",
                        entry.record.name
                    )));
                }
                let vizzes =
                    liveboard::visualizations(&catalog, entry, &store.visualizations(&input.id)?);
                // Visualizations whose data the caller may not read are left out.
                Ok(vizzes
                    .into_iter()
                    .filter(|viz| liveboard::may_read(&catalog, &access, entry, viz))
                    .map(|viz| viz_header(entry, viz))
                    .collect())
            })
            .await?;
        Ok(headers)
    }
}

fn viz_header(entry: &Entry, viz: Viz) -> types::VizHeader {
    let filter = viz.kind == VizKind::Filter;
    types::VizHeader {
        id: viz.id,
        name: viz.name.clone(),
        author: entry.record.author_id.clone(),
        created: entry.record.created,
        modified: entry.record.modified,
        modified_by: entry.record.modified_by.clone(),
        owner: entry.record.id.clone(),
        viz_type: viz.kind.header_type().parse().ok(),
        size: if filter {
            None
        } else {
            Some(viz.size.unwrap_or_else(|| "m".into()))
        },
        title: (!filter).then_some(types::VizTitle {
            value: types::VizTitleValue { text: viz.name },
        }),
    }
}

#[allow(clippy::too_many_arguments)] // one call per header kind; a struct would only rename them
fn header(
    id: &str,
    name: &str,
    description: Option<String>,
    author: &str,
    created: i64,
    modified: i64,
    owner: &str,
    names: &HashMap<&str, &PrincipalRecord>,
) -> types::MetadataHeader {
    let author_record = names.get(author);
    types::MetadataHeader {
        author: author.to_string(),
        author_display_name: author_record.map(|a| a.display_name.clone()),
        author_name: author_record.map(|a| a.name.clone()),
        created,
        description,
        id: id.to_string(),
        is_auto_created: false,
        is_auto_delete: false,
        is_deleted: Some(false),
        is_hidden: Some(false),
        modified,
        modified_by: author.to_string(),
        name: name.to_string(),
        owner: owner.to_string(),
        subtype: None,
        tags: vec![],
        type_: None,
    }
}

/// Names of a worksheet's formula columns (subtype `FORMULA` among logical columns).
fn formula_columns(doc: &serde_json::Value) -> Vec<String> {
    crate::catalog::tml::list(&doc["worksheet"], "worksheet_columns")
        .iter()
        .filter(|c| c.get("formula_id").is_some())
        .filter_map(|c| crate::catalog::tml::text(c, "name").map(String::from))
        .collect()
}

/// Who lists headers.
struct Reader<'a> {
    /// What the caller may read: an object is listed when the caller may read it and every
    /// object it reads.
    access: &'a Access,
    user_id: &'a str,
    /// ADMINISTRATION or DATAMANAGEMENT: sees connections (their headers name database files).
    data_manager: bool,
}

/// Headers of metadata objects, connections, columns or tags the caller may read.
fn object_headers(
    store: &dyn Store,
    catalog: &Catalog,
    reader: &Reader<'_>,
    names: &HashMap<&str, &PrincipalRecord>,
    input: &MetadataListObjectHeadersInput,
) -> Result<Vec<(types::MetadataHeader, String)>, ApiError> {
    use types::MetadataType as T;
    let (access, caller) = (reader.access, reader.user_id);
    let mut objects: Vec<&ObjectRecord> = catalog.entries.values().map(|e| &e.record).collect();
    objects.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    let tags = store.tags()?;
    let favorites = store.favorites(caller)?;
    let in_category = |o: &ObjectRecord| match input.category {
        Some(types::MetadataCategory::My) => o.owner_id == caller,
        Some(types::MetadataCategory::Favorite) => favorites.contains(&o.id),
        Some(types::MetadataCategory::Requested) => false,
        _ => true,
    };
    let headers = match input.type_ {
        Some(T::LogicalColumn) => {
            let readable_tables: HashMap<&str, (&ObjectRecord, Vec<String>)> = objects
                .iter()
                .filter(|o| o.type_ == "LOGICAL_TABLE" && access.can_read_all(catalog, &o.id))
                .map(|o| {
                    let formulas = catalog
                        .get(&o.id)
                        .map(|e| formula_columns(&e.doc))
                        .unwrap_or_default();
                    (o.id.as_str(), (*o, formulas))
                })
                .collect();
            store
                .logical_columns()?
                .iter()
                .filter_map(|c| {
                    let (table, formulas) = readable_tables.get(c.object_id.as_str())?;
                    let mut h = header(
                        &c.id,
                        &c.name,
                        None,
                        &table.author_id,
                        table.created,
                        table.modified,
                        &table.id,
                        names,
                    );
                    h.type_ = Some("LOGICAL_COLUMN".into());
                    h.subtype = formulas.contains(&c.name).then(|| "FORMULA".to_string());
                    let wanted = input.subtypes.as_ref().is_none_or(|subtypes| {
                        subtypes.is_empty()
                            || subtypes.iter().any(|w| Some(w.to_string()) == h.subtype)
                    });
                    wanted.then(|| (h, c.name.clone()))
                })
                .collect()
        }
        Some(T::Tag) => tags
            .iter()
            .map(|t| {
                let mut h = header(
                    &t.id, &t.name, None, caller, t.created, t.created, &t.id, names,
                );
                h.type_ = Some("TAG".into());
                (h, t.name.clone())
            })
            .collect(),
        Some(T::DataSource) if !reader.data_manager => vec![],
        Some(T::DataSource) => store
            .connections()?
            .iter()
            .map(|c| {
                let mut h = header(
                    &c.id,
                    &c.name,
                    c.description.clone(),
                    &c.author_id,
                    c.created,
                    c.modified,
                    &c.id,
                    names,
                );
                h.type_ = Some("DATA_SOURCE".into());
                (h, c.name.clone())
            })
            .collect(),
        Some(T::QuestionAnswerSheet | T::PinboardAnswerSheet | T::LogicalRelationship) => vec![],
        wanted => objects
            .iter()
            .filter(|o| wanted.is_none_or(|t| o.type_ == t.to_string()))
            .filter(|o| {
                input.subtypes.as_ref().is_none_or(|subtypes| {
                    subtypes.is_empty()
                        || o.subtype
                            .as_deref()
                            .is_some_and(|s| subtypes.iter().any(|w| w.to_string() == s))
                })
            })
            .filter(|o| access.can_read_all(catalog, &o.id) && in_category(o))
            .map(|o| {
                let mut h = header(
                    &o.id,
                    &o.name,
                    o.description.clone(),
                    &o.author_id,
                    o.created,
                    o.modified,
                    &o.id,
                    names,
                );
                h.modified_by = o.modified_by.clone();
                h.type_ = Some(o.type_.clone());
                h.subtype = o.subtype.clone();
                h.tags = o
                    .tags
                    .iter()
                    .filter_map(|name| tags.iter().find(|t| &t.name == name))
                    .map(|t| types::TagHeader {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        color: t.color.clone(),
                    })
                    .collect();
                (h, o.name.clone())
            })
            .collect(),
    };
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    #[test]
    fn patterns() {
        assert!(matches_pattern("sal%", "Sales Overview"));
        assert!(!matches_pattern("sal%", "Retail Sales"));
        assert!(matches_pattern("%sales", "Retail SALES"));
        assert!(matches_pattern("r%l%s", "Retail Sales"));
        assert!(matches_pattern("sales", "Retail Sales 2"));
        assert!(matches_pattern("%", "anything"));
        assert!(!matches_pattern("a%a", "a"));
    }
}
