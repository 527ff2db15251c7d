//! PDF file assembly: catalog, page tree, fonts, compressed content streams,
//! document information and a content-derived file identifier. Nothing here
//! reads the clock, so equal input gives equal bytes.

use crate::canvas::{TRANSLUCENT, TRANSLUCENT_ALPHA};
use crate::fonts::Font;
use crate::layout::Geometry;
use crate::model::Report;
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

/// zlib level for content streams (6 = zlib's default balance).
const COMPRESSION: u8 = 6;

/// Writes the document from the finished, uncompressed content stream of each page.
pub(crate) fn write(report: &Report, geometry: Geometry, contents: &[Vec<u8>]) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let alpha_id = Ref::new(5);
    let info_id = Ref::new(6);
    let first_page = 7;
    let page_id = |i: usize| Ref::new(first_page + 2 * i as i32);
    let content_id = |i: usize| Ref::new(first_page + 2 * i as i32 + 1);

    let mut pdf = Pdf::new();
    pdf.set_version(1, 4);
    pdf.catalog(catalog_id)
        .pages(tree_id)
        .viewer_preferences()
        .display_doc_title(true);
    pdf.pages(tree_id)
        .kids((0..contents.len()).map(page_id))
        .count(contents.len() as i32);

    for (font, id) in [(Font::Regular, regular_id), (Font::Bold, bold_id)] {
        pdf.type1_font(id)
            .base_font(font.base_font())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.ext_graphics(alpha_id)
        .non_stroking_alpha(TRANSLUCENT_ALPHA);

    let media_box = Rect::new(0.0, 0.0, geometry.width, geometry.height);
    for (i, content) in contents.iter().enumerate() {
        let mut page = pdf.page(page_id(i));
        page.parent(tree_id)
            .media_box(media_box)
            .contents(content_id(i));
        let mut resources = page.resources();
        resources
            .fonts()
            .pair(Font::Regular.resource(), regular_id)
            .pair(Font::Bold.resource(), bold_id);
        resources.ext_g_states().pair(TRANSLUCENT, alpha_id);
        resources.finish();
        page.finish();

        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(content, COMPRESSION);
        pdf.stream(content_id(i), &compressed)
            .filter(Filter::FlateDecode);
    }

    let mut info = pdf.document_info(info_id);
    info.title(TextStr(&report.title))
        .creator(TextStr("tspot"))
        .producer(TextStr("tspot-pdf"));
    if let Some(author) = &report.author {
        info.author(TextStr(author));
    }
    if let Some(description) = &report.description {
        info.subject(TextStr(description));
    }
    info.finish();

    let id = file_id(report, contents);
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// A 16-byte identifier derived from the title and page contents (two
/// FNV-1a 64 hashes), so it is stable for equal input.
fn file_id(report: &Report, contents: &[Vec<u8>]) -> Vec<u8> {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            a = (a ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x5bd1_e995);
        }
    };
    feed(report.title.as_bytes());
    for content in contents {
        feed(content);
    }
    let mut id = a.to_be_bytes().to_vec();
    id.extend_from_slice(&b.to_be_bytes());
    id
}
