//! List parameters from slices: ThoughtSpot takes several ids in one string parameter holding a
//! JSON array (`vizid=["a","b"]`). These extension traits set such parameters on the generated
//! builders from a slice, so callers never build the JSON text themselves.
//!
//! ```no_run
//! use tspot_client::prelude::*;
//! use tspot_client::params::*;
//! # async fn demo(client: &tspot_client::Client) -> Result<(), tspot_client::ApiError> {
//! let data = tspot_client::call(
//!     client
//!         .pinboard_data()
//!         .id("6a0d3c1e-5b7f-4c2a-9e41-000000000401")
//!         .viz_ids(&["6a0d3c1e-5b7f-4c2a-9e41-000000000411"])
//!         .send(),
//! )
//! .await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

use crate::generated::{builder, types};
use crate::lists::{of_enums, to_param};

/// `vizid` of `pinboarddata`.
pub trait PinboardDataLists: Sized {
    /// Only these visualizations (GUIDs); an empty slice means all of them.
    fn viz_ids<S: AsRef<str>>(self, ids: &[S]) -> Self;
}

impl PinboardDataLists for builder::PinboardData<'_> {
    fn viz_ids<S: AsRef<str>>(self, ids: &[S]) -> Self {
        self.vizid(to_param(ids))
    }
}

/// `visualization_ids` of `export/pinboard/pdf`.
pub trait PinboardPdfLists: Sized {
    /// Only these visualizations (GUIDs; needs the visualization layout).
    fn visualization_id_list<S: AsRef<str>>(self, ids: &[S]) -> Self;
}

impl PinboardPdfLists for builder::ExportPinboardPdf<'_> {
    fn visualization_id_list<S: AsRef<str>>(self, ids: &[S]) -> Self {
        self.visualization_ids(to_param(ids))
    }
}

/// `fetchids`, `skipids`, `tagname` and `subtypes` of `metadata/listobjectheaders`.
pub trait ObjectHeaderLists: Sized {
    /// Only the objects with these GUIDs.
    fn fetch_ids<S: AsRef<str>>(self, ids: &[S]) -> Self;
    /// Leave out the objects with these GUIDs.
    fn skip_ids<S: AsRef<str>>(self, ids: &[S]) -> Self;
    /// Only objects with one of these tags.
    fn tag_names<S: AsRef<str>>(self, tags: &[S]) -> Self;
    /// Only these subtypes (of `LOGICAL_TABLE`).
    fn subtype_list(self, subtypes: &[types::MetadataSubtype]) -> Self;
}

impl ObjectHeaderLists for builder::MetadataListObjectHeaders<'_> {
    fn fetch_ids<S: AsRef<str>>(self, ids: &[S]) -> Self {
        self.fetchids(to_param(ids))
    }
    fn skip_ids<S: AsRef<str>>(self, ids: &[S]) -> Self {
        self.skipids(to_param(ids))
    }
    fn tag_names<S: AsRef<str>>(self, tags: &[S]) -> Self {
        self.tagname(to_param(tags))
    }
    fn subtype_list(self, subtypes: &[types::MetadataSubtype]) -> Self {
        self.subtypes(of_enums(subtypes))
    }
}

/// `export_ids` of the `metadata/tml/export` form.
pub trait TmlExportLists: Sized {
    /// The objects to export (GUIDs).
    fn export_id_list<S: AsRef<str>>(self, ids: &[S]) -> Self;
}

impl TmlExportLists for types::builder::TmlExportForm {
    fn export_id_list<S: AsRef<str>>(self, ids: &[S]) -> Self {
        self.export_ids(to_param(ids))
    }
}

/// `import_objects` of the `metadata/tml/import` form.
pub trait TmlImportLists: Sized {
    /// The TML documents to import, each the text of one document (YAML or JSON).
    fn import_object_list<S: AsRef<str>>(self, documents: &[S]) -> Self;
}

impl TmlImportLists for types::builder::TmlImportForm {
    fn import_object_list<S: AsRef<str>>(self, documents: &[S]) -> Self {
        self.import_objects(to_param(documents))
    }
}

/// `objectsID` of `user/transfer/ownership`.
pub trait TransferLists: Sized {
    /// Only transfer these objects (GUIDs).
    fn object_id_list<S: AsRef<str>>(self, ids: &[S]) -> Self;
}

impl TransferLists for builder::UserTransferOwnership<'_> {
    fn object_id_list<S: AsRef<str>>(self, ids: &[S]) -> Self {
        self.objects_id(to_param(ids))
    }
}

/// `groupNames` of the `group/addprivilege` and `group/removeprivilege` form.
pub trait GroupPrivilegeLists: Sized {
    /// The groups to change, by name.
    fn group_name_list<S: AsRef<str>>(self, groups: &[S]) -> Self;
}

impl GroupPrivilegeLists for types::builder::GroupPrivilegeForm {
    fn group_name_list<S: AsRef<str>>(self, groups: &[S]) -> Self {
        self.group_names(to_param(groups))
    }
}
