//! `liveboard` (legacy key `pinboard`): visualizations, filters and their layout.

use super::answer::Answer;
use super::common::{Filter, Identity};
use crate::enums::TileSize;

tml_struct! {
    /// A visualization pinned to the liveboard.
    pub struct Visualization / "PinnedVisualization" {
        "id" => id: Option<String>,
        "answer" => answer: Option<Answer>,
        "display_headline_column" => display_headline_column: Option<String>,
        "viz_guid" => viz_guid: Option<String>,
    }
    order: [
        "id", "answer", "display_headline_column", "generic_viz_sub_type", "viz_guid", "note_tile",
        "action_object_associations", "ai_tile",
    ]
}

tml_struct! {
    /// Where one visualization sits (grid units), or its `size` in older exports.
    pub struct Tile / "PinboardLayoutTile" {
        "visualization_id" => visualization_id: Option<String>,
        "size" => size: Option<TileSize>,
        "x" => x: Option<i32>,
        "y" => y: Option<i32>,
        "height" => height: Option<i32>,
        "width" => width: Option<i32>,
    }
    order: ["visualization_id", "size", "x", "y", "height", "width"]
}

tml_struct! {
    /// A tab of the liveboard with its own tiles.
    pub struct Tab / "PinboardLayoutTab" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "tiles" => tiles: Vec<Tile>,
        "id" => id: Option<String>,
    }
    order: [
        "name", "description", "tiles", "id", "group_layouts", "filters", "parameter_overrides",
        "ordered_chips",
    ]
}

tml_struct! {
    /// The liveboard's layout: tiles, or tabs of tiles.
    pub struct Layout / "PinboardLayout" {
        "tabs" => tabs: Vec<Tab>,
        "tiles" => tiles: Vec<Tile>,
    }
    order: ["tabs", "tiles", "group_layouts"]
}

tml_struct! {
    /// The `liveboard` object.
    pub struct Liveboard / "PinboardEDocProto" {
        "name" => name: Option<String>,
        "description" => description: Option<String>,
        "tables" => tables: Vec<Identity>,
        "visualizations" => visualizations: Vec<Visualization>,
        "filters" => filters: Vec<Filter>,
        "layout" => layout: Option<Layout>,
    }
    order: [
        "name", "description", "tables", "visualizations", "groups", "filters", "layout",
        "parameters", "parameter_overrides", "ordered_chips", "views", "style",
    ]
}
