//! Renders reports with many option combinations and reads the bytes back
//! with lopdf: structure, page counts, extracted text.

mod common;

use common::*;
use tspot_pdf::{
    Cell, Layout, MAX_PAGES, Options, Orientation, PdfError, Report, Visual, VisualKind, render,
};

fn no_extras() -> Options {
    Options {
        include_cover_page: false,
        include_filter_page: false,
        ..Options::default()
    }
}

fn small_report() -> Report {
    Report {
        title: "Small Board".into(),
        generated_at: "2024-01-01".into(),
        visualizations: vec![
            visual(
                "a",
                "Alpha Chart",
                VisualKind::Column,
                &["K", "V"],
                vec![vec!["x".into(), 1.0.into()], vec!["y".into(), 2.0.into()]],
            ),
            visual(
                "b",
                "Beta Headline",
                VisualKind::Headline,
                &["Count"],
                vec![vec![42.0.into()]],
            ),
            visual(
                "c",
                "Gamma Pie",
                VisualKind::Pie,
                &["K", "V"],
                vec![vec!["x".into(), 1.0.into()], vec!["y".into(), 3.0.into()]],
            ),
        ],
        ..Report::default()
    }
}

#[test]
fn defaults_match_thoughtspot() {
    let o = Options::default();
    assert_eq!(o.layout, Layout::Pinboard);
    assert_eq!(o.orientation, Orientation::Landscape);
    assert!(!o.truncate_tables);
    assert!(o.include_logo);
    assert_eq!(o.footer_text, None);
    assert!(o.include_page_number && o.include_cover_page && o.include_filter_page);
}

#[test]
fn header_trailer_and_structure() {
    let p = parse(&sample(), &Options::default());
    assert!(p.bytes.starts_with(b"%PDF-1.4"));
    let tail = String::from_utf8_lossy(&p.bytes[p.bytes.len() - 16..]).to_string();
    assert!(tail.trim_end().ends_with("%%EOF"), "{tail:?}");
    let info = p.doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = p.doc.get_dictionary(info).unwrap();
    assert!(info.get(b"Title").is_ok());
    assert!(info.get(b"CreationDate").is_err(), "no clock-based dates");
    assert!(p.doc.trailer.get(b"ID").is_ok());
}

#[test]
fn default_options_cover_filters_and_titles() {
    let report = sample();
    let p = parse(&report, &Options::default());
    // cover + filters + content pages
    assert!(p.pages() >= 4, "{}", p.pages());
    let cover = p.text(1);
    assert!(cover.contains("Sales Overview — Q4"), "{cover}");
    assert!(cover.contains("Ana Müller"));
    assert!(cover.contains("2024-12-31 23:59 UTC"));
    assert!(cover.contains("tspot"), "logo wordmark on the cover");
    assert!(!cover.contains("Page "), "no page number on the cover");
    let filters = p.text(2);
    assert!(filters.contains("Filters"));
    assert!(filters.contains("Region is east, west"));
    assert!(filters.contains("Order Date is this year"));
    let all = p.all_text();
    for v in &report.visualizations {
        assert!(all.contains(&v.title), "missing title {}", v.title);
    }
    let n = p.pages();
    for page in 2..=n {
        assert!(p.text(page).contains(&format!("Page {page} of {n}")));
    }
}

#[test]
fn cover_page_toggle() {
    let report = small_report();
    let with = parse(&report, &Options::default());
    let without = parse(
        &report,
        &Options {
            include_cover_page: false,
            ..Options::default()
        },
    );
    assert_eq!(with.pages(), without.pages() + 1);
    assert!(without.text(1).contains("No filters applied"));
    assert!(
        without
            .text(1)
            .contains(&format!("Page 1 of {}", without.pages()))
    );
}

#[test]
fn filter_page_toggle_and_empty_filters() {
    let report = small_report();
    let on = parse(&report, &no_extras_with(|o| o.include_filter_page = true));
    let off = parse(&report, &no_extras());
    assert_eq!(on.pages(), off.pages() + 1);
    assert!(on.text(1).contains("No filters applied"));
    assert!(!off.all_text().contains("No filters applied"));
    // Small board: three tiles on one pinboard page.
    assert_eq!(off.pages(), 1);
}

fn no_extras_with(f: impl FnOnce(&mut Options)) -> Options {
    let mut o = no_extras();
    f(&mut o);
    o
}

#[test]
fn many_filters_continue_on_more_filter_pages() {
    let mut report = small_report();
    report.filters = (0..60)
        .map(|i| tspot_pdf::FilterLine {
            column: format!("Col {i}"),
            description: format!("Col {i} is value {i}"),
        })
        .collect();
    let p = parse(&report, &no_extras_with(|o| o.include_filter_page = true));
    assert!(p.pages() >= 3);
    let all = p.all_text();
    assert!(all.contains("Col 0 is value 0") && all.contains("Col 59 is value 59"));
    assert!(all.contains("Filters (continued)"));
}

#[test]
fn visualization_layout_is_one_page_per_visualization() {
    let report = small_report();
    let options = Options {
        layout: Layout::Visualization,
        ..Options::default()
    };
    let p = parse(&report, &options);
    assert_eq!(p.pages(), 2 + report.visualizations.len());
    for (i, v) in report.visualizations.iter().enumerate() {
        assert!(p.text(3 + i).contains(&v.title));
    }
    let bare = parse(
        &report,
        &Options {
            layout: Layout::Visualization,
            ..no_extras()
        },
    );
    assert_eq!(bare.pages(), report.visualizations.len());
}

#[test]
fn long_tables_span_pages_unless_truncated() {
    let report = Report {
        title: "Tables".into(),
        visualizations: vec![long_table("Big Table", 200)],
        ..Report::default()
    };
    let full = parse(
        &report,
        &Options {
            layout: Layout::Visualization,
            ..no_extras()
        },
    );
    assert!(full.pages() >= 4, "{}", full.pages());
    let all = full.all_text();
    assert!(all.contains("Big Table (continued)"));
    assert!(all.contains("São Paulo"));
    // Row 199's amount: 1234.5 * 199 + 0.25 (row 200's is null).
    assert!(all.contains("245,665.75"), "last rows present");
    assert!(!all.contains("Showing "));

    let truncated = parse(
        &report,
        &Options {
            layout: Layout::Visualization,
            truncate_tables: true,
            ..no_extras()
        },
    );
    assert_eq!(truncated.pages(), 1);
    let text = truncated.text(1);
    let showing = text
        .lines()
        .find(|l| l.starts_with("Showing "))
        .expect("a Showing N of M rows line");
    assert!(showing.ends_with(" of 200 rows"), "{showing}");
    assert!(!text.contains("245,665.75"));
}

#[test]
fn truncate_tables_is_ignored_in_pinboard_layout() {
    let report = Report {
        title: "Tables".into(),
        visualizations: vec![long_table("Big Table", 120)],
        ..Report::default()
    };
    let a = parse(&report, &no_extras());
    let b = parse(
        &report,
        &Options {
            truncate_tables: true,
            ..no_extras()
        },
    );
    assert!(a.pages() >= 2);
    assert_eq!(a.bytes, b.bytes);
}

#[test]
fn total_rows_beyond_the_data_is_reported() {
    let mut table = long_table("Sampled", 10);
    table.total_rows = 5000;
    let report = Report {
        title: "t".into(),
        visualizations: vec![table],
        ..Report::default()
    };
    let p = parse(&report, &no_extras());
    assert!(p.all_text().contains("Showing 10 of 5000 rows"));
}

#[test]
fn footer_text_and_page_numbers() {
    let report = sample();
    let options = Options {
        footer_text: Some("Confidential — internal use".into()),
        ..Options::default()
    };
    let p = parse(&report, &options);
    assert!(!p.text(1).contains("Confidential"));
    let n = p.pages();
    for page in 2..=n {
        let t = p.text(page);
        assert!(t.contains("Confidential — internal use"), "page {page}");
        assert!(t.contains(&format!("Page {page} of {n}")));
    }
    let no_numbers = parse(
        &report,
        &Options {
            include_page_number: false,
            ..options
        },
    );
    assert!(!no_numbers.all_text().contains("Page "));
    assert!(no_numbers.all_text().contains("Confidential"));
}

#[test]
fn logo_toggle() {
    let report = small_report();
    let with = parse(&report, &Options::default());
    let without = parse(
        &report,
        &Options {
            include_logo: false,
            ..Options::default()
        },
    );
    assert!(with.all_text().contains("tspot"));
    assert!(!without.all_text().contains("tspot"));
    assert_eq!(with.pages(), without.pages());
}

#[test]
fn orientation_sets_a4_page_size() {
    let report = small_report();
    let land = parse(&report, &Options::default());
    let port = parse(
        &report,
        &Options {
            orientation: Orientation::Portrait,
            ..Options::default()
        },
    );
    let (w, h) = land.page_size(1);
    assert!((w - 841.89).abs() < 0.1 && (h - 595.28).abs() < 0.1);
    let (w, h) = port.page_size(2);
    assert!((w - 595.28).abs() < 0.1 && (h - 841.89).abs() < 0.1);
}

#[test]
fn non_ascii_text_round_trips() {
    let mut report = small_report();
    report.title = "Umsatz — Zürich & São Paulo".into();
    report.visualizations[0].title = "Städte: Zürich, São Paulo, Łódź".into();
    report.visualizations.push(visual(
        "t",
        "Cities",
        VisualKind::Table,
        &["City", "Ünits"],
        vec![
            vec!["Zürich".into(), 1.0.into()],
            vec!["São Paulo".into(), 2.0.into()],
            vec!["東京".into(), 3.0.into()],
        ],
    ));
    let p = parse(&report, &Options::default());
    let all = p.all_text();
    assert!(all.contains("Umsatz — Zürich & São Paulo"), "{all}");
    assert!(all.contains("Zürich"));
    assert!(all.contains("São Paulo"));
    assert!(all.contains("Ünits"));
    // Outside WinAnsiEncoding: Ł, ź and CJK become '?'.
    assert!(all.contains("?ód?"));
    assert!(all.contains("??"));
}

#[test]
fn numbers_nulls_and_ellipsis() {
    let report = Report {
        title: "Formatting".into(),
        visualizations: vec![long_table("Numbers", 8)],
        ..Report::default()
    };
    let text = parse(&report, &no_extras()).all_text();
    assert!(text.contains("1,234.75"), "{text}");
    assert!(text.contains("{Null}"));
    assert!(text.contains('…'), "long text truncated with an ellipsis");
    assert!(!text.contains("cannot fit in its column"));
}

#[test]
fn one_decimals_choice_per_column_and_axis_and_abbreviated_headlines() {
    let report = Report {
        title: "Decimals".into(),
        visualizations: vec![
            visual(
                "t",
                "Prices",
                VisualKind::Table,
                &["Item", "Price", "Units"],
                vec![
                    vec!["apple".into(), 1.5.into(), 1200.0.into()],
                    vec!["pear".into(), 2.0.into(), 7.0.into()],
                    vec!["plum".into(), 3.25.into(), Cell::Null],
                ],
            ),
            visual(
                "c",
                "Sales by Region",
                VisualKind::Column,
                &["Region", "Sales"],
                vec![
                    vec!["east".into(), 2400.0.into()],
                    vec!["west".into(), 4800.0.into()],
                ],
            ),
            visual(
                "h",
                "Total Sales",
                VisualKind::Headline,
                &["Total Sales"],
                vec![vec![34_761_234.0.into()]],
            ),
        ],
        ..Report::default()
    };
    let text = parse(
        &report,
        &Options {
            layout: Layout::Visualization,
            ..no_extras()
        },
    )
    .all_text();
    // The Price column needs two decimals for 3.25: every price gets two.
    for price in ["1.50", "2.00", "3.25"] {
        assert!(text.contains(price), "{price}: {text}");
    }
    // Units are whole: no decimals, thousands separators.
    assert!(text.contains("1,200"), "{text}");
    // The value axis is in thousands with one decimals choice; zero is 0.
    assert!(text.contains("0\n1K\n2K\n3K\n4K\n5K\n"), "{text}");
    // Value labels: each bar's value, the same decimals.
    assert!(text.contains("2.4K\n4.8K\n"), "{text}");
    assert!(text.contains("34.76M"), "{text}");
    assert!(!text.contains("34,761,234"), "{text}");
}

#[test]
fn output_is_deterministic() {
    let report = sample();
    for options in [
        Options::default(),
        Options {
            layout: Layout::Visualization,
            orientation: Orientation::Portrait,
            truncate_tables: true,
            footer_text: Some("x".into()),
            ..Options::default()
        },
    ] {
        let a = render(&report, &options).unwrap();
        let b = render(&report, &options).unwrap();
        assert_eq!(a, b);
    }
    let mut other = sample();
    other.title.push('!');
    assert_ne!(
        render(&report, &Options::default()).unwrap(),
        render(&other, &Options::default()).unwrap()
    );
}

#[test]
fn option_matrix_renders_valid_pdfs() {
    let report = sample();
    let mut count = 0;
    for layout in [Layout::Pinboard, Layout::Visualization] {
        for orientation in [Orientation::Landscape, Orientation::Portrait] {
            for truncate_tables in [false, true] {
                for flags in 0..8u8 {
                    let options = Options {
                        layout,
                        orientation,
                        truncate_tables,
                        include_logo: flags & 1 != 0,
                        footer_text: (flags & 2 != 0).then(|| "Footer ☃ text".to_string()),
                        include_page_number: flags & 4 != 0,
                        include_cover_page: flags & 2 == 0,
                        include_filter_page: flags & 1 == 0,
                    };
                    let p = parse(&report, &options);
                    let extras = usize::from(options.include_cover_page)
                        + usize::from(options.include_filter_page);
                    assert!(p.pages() > extras, "{options:?}");
                    if layout == Layout::Visualization {
                        // One page per visualization, two for the 40-row table
                        // in landscape unless truncated.
                        assert!(p.pages() >= extras + 6, "{options:?}");
                    }
                    let all = p.all_text();
                    assert!(all.contains("Monthly Orders — 2024"), "{options:?}");
                    if options.footer_text.is_some() {
                        assert!(all.contains("Footer ? text"));
                    }
                    count += 1;
                }
            }
        }
    }
    assert_eq!(count, 64);
}

#[test]
fn visualization_layout_page_count_with_table() {
    let report = sample();
    let base = Options {
        layout: Layout::Visualization,
        ..no_extras()
    };
    let full = parse(&report, &base);
    let truncated = parse(
        &report,
        &Options {
            truncate_tables: true,
            ..base.clone()
        },
    );
    // Landscape: the 40-row table needs two pages unless truncated.
    assert_eq!(full.pages(), 7);
    assert_eq!(truncated.pages(), 6);
    assert!(truncated.all_text().contains("of 40 rows"));
    let portrait = parse(
        &report,
        &Options {
            orientation: Orientation::Portrait,
            ..base
        },
    );
    // Portrait: 40 rows fit on one page.
    assert_eq!(portrait.pages(), 6);
}

#[test]
fn empty_and_degenerate_input() {
    let empty = Report::default();
    let p = parse(&empty, &no_extras());
    assert_eq!(p.pages(), 1);
    assert!(p.text(1).contains("This Liveboard has no visualizations."));
    let p = parse(&empty, &Options::default());
    assert_eq!(p.pages(), 3);
    assert!(p.text(1).contains("Untitled Liveboard"));

    let degenerate = Report {
        title: "Degenerate".into(),
        visualizations: vec![
            visual("1", "Empty Column", VisualKind::Column, &["K", "V"], vec![]),
            visual(
                "2",
                "All Null Line",
                VisualKind::Line,
                &["K", "V"],
                vec![vec!["a".into(), Cell::Null]],
            ),
            visual(
                "3",
                "Negative Bars",
                VisualKind::Bar,
                &["K", "V"],
                vec![
                    vec!["a".into(), (-5.0).into()],
                    vec!["b".into(), 3.0.into()],
                ],
            ),
            visual(
                "4",
                "Zero Pie",
                VisualKind::Pie,
                &["K", "V"],
                vec![vec!["a".into(), 0.0.into()]],
            ),
            visual("5", "Empty Table", VisualKind::Table, &["A", "B"], vec![]),
            visual(
                "6",
                "Ragged",
                VisualKind::Table,
                &["A"],
                vec![vec![], vec![1.0.into(), "extra".into()]],
            ),
            visual("7", "Empty Headline", VisualKind::Headline, &[], vec![]),
            visual("8", "Empty Filter", VisualKind::Filter, &["Region"], vec![]),
            visual(
                "9",
                "NaN",
                VisualKind::Area,
                &["K", "V"],
                vec![vec!["a".into(), f64::NAN.into()]],
            ),
            visual(
                "10",
                "Single Column",
                VisualKind::Column,
                &["V"],
                vec![vec![3.0.into()], vec![4.0.into()]],
            ),
            visual(
                "11",
                "Same Values",
                VisualKind::Line,
                &["K", "V"],
                vec![vec!["a".into(), 7.0.into()], vec!["b".into(), 7.0.into()]],
            ),
        ],
        ..Report::default()
    };
    for layout in [Layout::Pinboard, Layout::Visualization] {
        let p = parse(
            &degenerate,
            &Options {
                layout,
                ..no_extras()
            },
        );
        let all = p.all_text();
        assert!(all.contains("No data"));
        assert!(all.contains("No positive values"));
        assert!(all.contains("All values"));
        assert!(all.contains("Empty Headline"));
    }
}

#[test]
fn unknown_chart_types_fall_back_to_tables() {
    assert_eq!(
        VisualKind::from_thoughtspot("stacked_column"),
        VisualKind::Column
    );
    assert_eq!(VisualKind::from_thoughtspot("PIE"), VisualKind::Pie);
    let other = VisualKind::from_thoughtspot("SANKEY");
    assert_eq!(other, VisualKind::Other("SANKEY".into()));
    let report = Report {
        title: "t".into(),
        visualizations: vec![Visual {
            kind: other,
            ..long_table("Sankey As Table", 3)
        }],
        ..Report::default()
    };
    let text = parse(&report, &no_extras()).all_text();
    assert!(text.contains("Sankey As Table"));
    assert!(text.contains("Amount"), "rendered with a header row");
}

#[test]
fn runaway_tables_are_refused() {
    let rows = vec![vec![Cell::Number(1.0)]; 600_000];
    let report = Report {
        title: "huge".into(),
        visualizations: vec![visual("h", "Huge", VisualKind::Table, &["N"], rows)],
        ..Report::default()
    };
    assert_eq!(
        render(&report, &no_extras()),
        Err(PdfError::TooManyPages { limit: MAX_PAGES })
    );
}

#[test]
fn many_categories_and_series_still_render() {
    let rows: Vec<Vec<Cell>> = (0..400)
        .map(|i| {
            vec![
                Cell::from(format!("Category number {i}")),
                Cell::Number(i as f64),
                Cell::Number(-(i as f64) / 2.0),
                Cell::Number(1e9 * i as f64),
            ]
        })
        .collect();
    let mut visualizations = Vec::new();
    for kind in [
        VisualKind::Column,
        VisualKind::Bar,
        VisualKind::Line,
        VisualKind::Area,
        VisualKind::Pie,
    ] {
        visualizations.push(visual(
            "m",
            &format!("{kind:?} many"),
            kind,
            &["Cat", "A", "B", "C"],
            rows.clone(),
        ));
    }
    let report = Report {
        title: "Many".into(),
        visualizations,
        ..Report::default()
    };
    for orientation in [Orientation::Landscape, Orientation::Portrait] {
        let p = parse(
            &report,
            &Options {
                orientation,
                ..no_extras()
            },
        );
        let all = p.all_text();
        assert!(
            all.contains("Showing "),
            "categories beyond the room are noted"
        );
        assert!(all.contains("Other"), "pie merges small slices");
    }
}
