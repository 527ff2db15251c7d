//! Command-line values that stand for the API's enumerations, each converting into the generated
//! type. Their names on the command line are the API's own (`LOGICAL_TABLE`, `FULL`), matched
//! without regard to case.

use tspot_client::types;

/// An enumeration of the command line mirroring one of the generated client's.
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        $name:ident => $api:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $( $(#[$vmeta])* #[value(name = $text)] $variant ),+
        }

        impl From<$name> for $api {
            fn from(value: $name) -> $api {
                match value {
                    $( $name::$variant => <$api>::$variant ),+
                }
            }
        }
    };
}

api_enum! {
    /// `type` of `metadata/listobjectheaders`.
    ObjectType => types::MetadataType {
        /// Answers.
        QuestionAnswerBook = "QUESTION_ANSWER_BOOK",
        /// Liveboards.
        #[value(alias = "LIVEBOARD")]
        PinboardAnswerBook = "PINBOARD_ANSWER_BOOK",
        /// Visualizations of answers.
        QuestionAnswerSheet = "QUESTION_ANSWER_SHEET",
        /// Visualizations of Liveboards.
        PinboardAnswerSheet = "PINBOARD_ANSWER_SHEET",
        /// Tables, worksheets, views (see --subtype).
        LogicalTable = "LOGICAL_TABLE",
        /// Columns.
        LogicalColumn = "LOGICAL_COLUMN",
        /// Joins.
        LogicalRelationship = "LOGICAL_RELATIONSHIP",
        /// Tags.
        Tag = "TAG",
        /// Connections.
        DataSource = "DATA_SOURCE",
        /// Users.
        User = "USER",
        /// Groups.
        UserGroup = "USER_GROUP",
    }
}

api_enum! {
    /// `subtypes` of `metadata/listobjectheaders`.
    ObjectSubtype => types::MetadataSubtype {
        /// A table of a connection.
        OneToOneLogical = "ONE_TO_ONE_LOGICAL",
        Worksheet = "WORKSHEET",
        PrivateWorksheet = "PRIVATE_WORKSHEET",
        /// An uploaded table.
        UserDefined = "USER_DEFINED",
        /// A view.
        AggrWorksheet = "AGGR_WORKSHEET",
        SqlView = "SQL_VIEW",
        Formula = "FORMULA",
        CalendarType = "CALENDAR_TYPE",
        CalendarTable = "CALENDAR_TABLE",
    }
}

api_enum! {
    /// `sort` of `metadata/listobjectheaders`.
    ObjectSort => types::MetadataSort {
        Default = "DEFAULT",
        Name = "NAME",
        DisplayName = "DISPLAY_NAME",
        Author = "AUTHOR",
        Created = "CREATED",
        Modified = "MODIFIED",
    }
}

api_enum! {
    /// Group privileges.
    Privilege => types::Privilege {
        Administration = "ADMINISTRATION",
        Developer = "DEVELOPER",
        Userdatauploading = "USERDATAUPLOADING",
        Datadownloading = "DATADOWNLOADING",
        Datamanagement = "DATAMANAGEMENT",
        Sharewithall = "SHAREWITHALL",
        Experimentalfeatureprivilege = "EXPERIMENTALFEATUREPRIVILEGE",
        Jobscheduling = "JOBSCHEDULING",
        Ranalysis = "RANALYSIS",
        A3analysis = "A3ANALYSIS",
        Bypassrls = "BYPASSRLS",
    }
}

api_enum! {
    /// Access of a trusted-authentication session.
    AccessLevel => types::AccessLevel {
        /// Everything the user may do.
        Full = "FULL",
        /// Only view the object given with --object.
        ReportBookView = "REPORT_BOOK_VIEW",
    }
}

api_enum! {
    /// PDF layout.
    PdfLayout => types::PdfLayoutType {
        /// The Liveboard's own layout.
        #[value(alias = "PINBOARD")]
        Pinboard = "pinboard",
        /// One visualization per page.
        #[value(alias = "VISUALIZATION")]
        Visualization = "visualization",
    }
}

api_enum! {
    /// PDF page orientation.
    PdfOrientation => types::PdfOrientation {
        Landscape = "landscape",
        Portrait = "portrait",
    }
}

api_enum! {
    /// TML text format.
    TmlFormat => types::TmlFormat {
        Yaml = "yaml",
        Json = "json",
    }
}

api_enum! {
    /// What a TML import does when some documents fail.
    ImportPolicy => types::TmlImportPolicy {
        /// Import every document that is valid; skip the others and what depends on them.
        #[value(alias = "PARTIAL")]
        Partial = "partial",
        /// Import nothing if any document fails.
        #[value(alias = "ALL_OR_NONE")]
        AllOrNone = "all-or-none",
        /// Check the documents, import nothing.
        #[value(alias = "VALIDATE_ONLY")]
        ValidateOnly = "validate-only",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_convert_to_the_api_types() {
        assert_eq!(
            types::MetadataType::from(ObjectType::LogicalTable).to_string(),
            "LOGICAL_TABLE"
        );
        assert_eq!(
            types::TmlImportPolicy::from(ImportPolicy::AllOrNone).to_string(),
            "ALL_OR_NONE"
        );
        assert_eq!(
            types::Privilege::from(Privilege::A3analysis).to_string(),
            "A3ANALYSIS"
        );
    }
}
