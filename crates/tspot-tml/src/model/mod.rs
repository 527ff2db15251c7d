//! The typed model: one module per object type, plus the messages they share.

pub mod answer;
pub mod common;
pub mod liveboard;
pub mod table;
pub mod worksheet;

#[cfg(test)]
mod tests {
    use super::answer::*;
    use super::common::*;
    use super::liveboard::*;
    use super::table::*;
    use super::worksheet::*;

    /// Every typed key has its place in the library's field order, in the same relative order.
    #[test]
    fn typed_keys_follow_the_library_order() {
        let structs: &[(&str, &[&str], &[&str])] = &[
            ("Identity", Identity::TYPED_KEYS, Identity::FIELD_ORDER),
            (
                "ColumnProperties",
                ColumnProperties::TYPED_KEYS,
                ColumnProperties::FIELD_ORDER,
            ),
            (
                "FormulaProperties",
                FormulaProperties::TYPED_KEYS,
                FormulaProperties::FIELD_ORDER,
            ),
            ("Formula", Formula::TYPED_KEYS, Formula::FIELD_ORDER),
            ("Filter", Filter::TYPED_KEYS, Filter::FIELD_ORDER),
            ("Join", Join::TYPED_KEYS, Join::FIELD_ORDER),
            ("Relation", Relation::TYPED_KEYS, Relation::FIELD_ORDER),
            ("JoinPath", JoinPath::TYPED_KEYS, JoinPath::FIELD_ORDER),
            ("TablePath", TablePath::TYPED_KEYS, TablePath::FIELD_ORDER),
            (
                "DbColumnProperties",
                DbColumnProperties::TYPED_KEYS,
                DbColumnProperties::FIELD_ORDER,
            ),
            (
                "TableColumn",
                TableColumn::TYPED_KEYS,
                TableColumn::FIELD_ORDER,
            ),
            ("Table", Table::TYPED_KEYS, Table::FIELD_ORDER),
            (
                "WorksheetColumn",
                WorksheetColumn::TYPED_KEYS,
                WorksheetColumn::FIELD_ORDER,
            ),
            (
                "WorksheetProperties",
                WorksheetProperties::TYPED_KEYS,
                WorksheetProperties::FIELD_ORDER,
            ),
            ("Worksheet", Worksheet::TYPED_KEYS, Worksheet::FIELD_ORDER),
            (
                "AnswerColumn",
                AnswerColumn::TYPED_KEYS,
                AnswerColumn::FIELD_ORDER,
            ),
            (
                "TableVizColumn",
                TableVizColumn::TYPED_KEYS,
                TableVizColumn::FIELD_ORDER,
            ),
            ("TableViz", TableViz::TYPED_KEYS, TableViz::FIELD_ORDER),
            (
                "ChartColumn",
                ChartColumn::TYPED_KEYS,
                ChartColumn::FIELD_ORDER,
            ),
            (
                "AxisConfig",
                AxisConfig::TYPED_KEYS,
                AxisConfig::FIELD_ORDER,
            ),
            ("ChartViz", ChartViz::TYPED_KEYS, ChartViz::FIELD_ORDER),
            ("Answer", Answer::TYPED_KEYS, Answer::FIELD_ORDER),
            (
                "Visualization",
                Visualization::TYPED_KEYS,
                Visualization::FIELD_ORDER,
            ),
            ("Tile", Tile::TYPED_KEYS, Tile::FIELD_ORDER),
            ("Tab", Tab::TYPED_KEYS, Tab::FIELD_ORDER),
            ("Layout", Layout::TYPED_KEYS, Layout::FIELD_ORDER),
            ("Liveboard", Liveboard::TYPED_KEYS, Liveboard::FIELD_ORDER),
        ];
        for (name, typed, order) in structs {
            let positions: Vec<usize> = typed
                .iter()
                .map(|k| {
                    order
                        .iter()
                        .position(|o| o == k)
                        .unwrap_or_else(|| panic!("{name}: `{k}` missing from FIELD_ORDER"))
                })
                .collect();
            assert!(
                positions.windows(2).all(|w| w[0] < w[1]),
                "{name}: typed keys out of order"
            );
            let mut unique = order.to_vec();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(
                unique.len(),
                order.len(),
                "{name}: FIELD_ORDER has duplicates"
            );
        }
    }
}
