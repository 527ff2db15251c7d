//! metadata/listobjectheaders: filtering, sorting and paging of object headers.

use tspot_server::*;

use crate::Reference;
use crate::store::{Kind, PrincipalRecord};

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

impl Reference {
    pub(crate) async fn list_object_headers(
        &self,
        ctx: RequestContext,
        input: MetadataListObjectHeadersInput,
    ) -> Result<MetadataListObjectHeadersResponse, ApiError> {
        let caller = self.full_caller(&ctx).await?;
        let kind = match input.type_ {
            Some(types::MetadataType::User) => Some(Kind::User),
            Some(types::MetadataType::UserGroup) => Some(Kind::Group),
            _ => None,
        };
        let headers = match kind {
            Some(kind) => {
                let principals = self.db(|store| store.principals()).await?;
                principals
                    .iter()
                    .filter(|p| p.kind == kind)
                    .map(|p| (principal_header(p, &caller.user_id), p.display_name.clone()))
                    .collect()
            }
            // Metadata objects (tables, worksheets, answers, Liveboards) arrive with TML import.
            None => Vec::new(),
        };
        Ok(MetadataListObjectHeadersResponse::Ok(select(
            headers, &input,
        )))
    }
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
