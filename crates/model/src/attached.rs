//! Papers written elsewhere: `content/papers/<id>.pdf`, or `<id>.docx` turned into a PDF by
//! LibreOffice ([`word`](crate::word)). The PDF is read here with hayro, the PDF library Typst
//! places PDF pages with, so a file Typst could not place (encrypted, corrupt, without pages)
//! is a located problem of `oversight check`, not a failed build.
//!
//! The bytes are kept in the register: what was checked is exactly what the pack places and
//! the website publishes, even if the file changes on disk in between.

use std::sync::Arc;

use hayro_syntax::{Filter, LoadPdfError, Pdf};

use crate::inspect::Inspection;
use crate::pdf_limits::{self, Codec, Exceeded};

/// The bytes of a PDF, shared: the register is copied for the public website, and a pack
/// compiles them in place.
#[derive(Clone, PartialEq, Eq)]
pub struct PdfBytes(pub Arc<Vec<u8>>);

impl AsRef<[u8]> for PdfBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for PdfBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PdfBytes({} bytes)", self.0.len())
    }
}

/// What an author gave for a paper written elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    Pdf,
    /// A Word document (`.docx`), converted to PDF with LibreOffice.
    Word,
}

impl Given {
    /// The kind of file at `ext` (a file name's extension), if a paper can be one.
    pub fn from_extension(ext: &str) -> Option<Given> {
        match ext {
            "pdf" => Some(Given::Pdf),
            "docx" => Some(Given::Word),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Given::Pdf => "pdf",
            Given::Word => "docx",
        }
    }
}

/// The size of a page as it is shown (rotation applied), in PDF points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

impl PageSize {
    /// Wider than tall: placed on a landscape page of the pack.
    pub fn is_landscape(self) -> bool {
        self.width > self.height
    }
}

/// A paper written elsewhere, read and checked.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub given: Given,
    /// The PDF: the file as given, or the Word document converted.
    pub pdf: PdfBytes,
    /// Each page's size, in order.
    pub pages: Vec<PageSize>,
    /// The PDF's version as (major, minor), e.g. (1, 7): a pack that places a PDF 2.0 file
    /// must be written as PDF 2.0 itself.
    pub version: (u8, u8),
    /// Tagged for assistive technology: its catalog has a structure tree and says the file is
    /// marked (`/MarkInfo << /Marked true >>`). An untagged paper is a picture of text to a
    /// screen reader; `build` and `papers` say so, and the accessibility statement lists it.
    pub tagged: bool,
    /// What the given file carries besides its pages ([`crate::inspect`]): the Word file's
    /// for a Word paper, the PDF's for a PDF. Shared, like the bytes: the text can be long.
    pub inspection: Arc<Inspection>,
}

/// Why a PDF cannot be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unplaceable {
    /// Encrypted with a password (a PDF that only restricts printing or copying opens
    /// without one, and is placed).
    Encrypted,
    /// Not a PDF, or too damaged to read.
    Corrupt,
    /// A PDF without a page.
    NoPages,
    /// Past one of the bounds a given PDF must keep ([`pdf_limits`]).
    TooLarge(Exceeded),
}

impl Unplaceable {
    /// What the problem is, as a diagnostic's message says it.
    pub fn message(&self) -> String {
        use pdf_limits::{MAX_DECODED_BYTES, MAX_NESTING, MAX_PAGE_TREE_DEPTH, MAX_PAGES};
        match self {
            Unplaceable::Encrypted => "the PDF is encrypted: it cannot be opened without a password".into(),
            Unplaceable::Corrupt => "the file is not a readable PDF: it is damaged, or not a PDF at all".into(),
            Unplaceable::NoPages => "the PDF has no pages".into(),
            Unplaceable::TooLarge(Exceeded::Nesting { offset }) => format!(
                "the PDF nests arrays or dictionaries more than {MAX_NESTING} deep (at byte {offset} of the file)"
            ),
            Unplaceable::TooLarge(Exceeded::Decoded) => format!(
                "the PDF's contents come to more than {} MiB once decompressed",
                MAX_DECODED_BYTES / (1024 * 1024)
            ),
            Unplaceable::TooLarge(Exceeded::Pages) => format!("the PDF has more than {MAX_PAGES} pages"),
            Unplaceable::TooLarge(Exceeded::RepeatedPage) => {
                "the PDF's page tree lists the same page (or group of pages) more than once".into()
            }
            Unplaceable::TooLarge(Exceeded::PageTreeDepth) => {
                format!("the PDF's page tree nests more than {MAX_PAGE_TREE_DEPTH} levels deep")
            }
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        match self {
            Unplaceable::Encrypted => {
                "ask for a copy without a password, or open it and save it again without one (Print to PDF does this)"
            }
            Unplaceable::Corrupt => {
                "open it in a PDF reader: if it opens, save it again as PDF; if not, ask its author for the file again"
            }
            Unplaceable::NoPages => "ask its author for the file again",
            Unplaceable::TooLarge(Exceeded::Pages) => {
                "split it into several papers, or place a summary and link the full document"
            }
            Unplaceable::TooLarge(_) => {
                "a PDF written by an ordinary program keeps far inside these bounds: open it in a PDF reader and save it again (Print to PDF), or ask its author for the file again"
            }
        }
    }
}

impl Attachment {
    /// Reads `pdf` as Typst will place it: every page's size, or why it cannot be placed.
    /// The bounds of [`pdf_limits`] are checked first, so that hayro (here) and Typst (in
    /// the pack) only ever read a file within them.
    pub fn read(given: Given, pdf: Vec<u8>) -> Result<Attachment, Unplaceable> {
        let scan = pdf_limits::check(&pdf).map_err(Unplaceable::TooLarge)?;
        let pdf = PdfBytes(Arc::new(pdf));
        let document = Pdf::new(Arc::clone(&pdf.0)).map_err(|e| match e {
            LoadPdfError::Decryption(_) => Unplaceable::Encrypted,
            LoadPdfError::Invalid => Unplaceable::Corrupt,
        })?;
        if document.pages().len() > pdf_limits::MAX_PAGES {
            return Err(Unplaceable::TooLarge(Exceeded::Pages));
        }
        if scan.encrypted {
            // Its streams could be measured only once decrypted, which hayro does.
            let streams = document.objects().into_iter().filter_map(|object| object.into_stream()).map(|stream| {
                let codecs = stream.filters().iter().map_while(|f| codec(*f)).collect();
                (codecs, stream.raw_data())
            });
            pdf_limits::check_decoded(streams).map_err(Unplaceable::TooLarge)?;
        }
        let pages: Vec<PageSize> = document
            .pages()
            .iter()
            .map(|page| {
                let (width, height) = page.render_dimensions();
                PageSize { width, height }
            })
            .collect();
        if pages.is_empty() {
            return Err(Unplaceable::NoPages);
        }
        // A page box of absurd numbers (1e39 points) is damage, and no page can be laid out
        // at a size that is not a number.
        if pages.iter().any(|p| !p.width.is_finite() || !p.height.is_finite()) {
            return Err(Unplaceable::Corrupt);
        }
        let version = version_numbers(document.version());
        let tagged = is_tagged(&document);
        // A Word paper's inspection is of the Word file, which the loader reads before converting it.
        let inspection = Arc::new(match given {
            Given::Pdf => crate::inspect::pdf::inspect(&pdf.0),
            Given::Word => Inspection::default(),
        });
        Ok(Attachment { given, pdf, pages, version, tagged, inspection })
    }
}

/// Whether the document's catalog has a structure tree and `/MarkInfo << /Marked true >>`,
/// what PDF (ISO 32000-1, 14.7 and 14.8) and PDF/UA-1 (7.1) ask of a tagged file.
fn is_tagged(document: &Pdf) -> bool {
    use hayro_syntax::object::Dict;
    let Some(catalog) = document.xref().get::<Dict>(document.xref().root_id()) else { return false };
    let marked = catalog.get::<Dict>(b"MarkInfo").and_then(|info| info.get::<bool>(b"Marked")).unwrap_or(false);
    marked && catalog.get::<Dict>(b"StructTreeRoot").is_some()
}

/// The compression a hayro filter names, if it is one.
fn codec(filter: Filter) -> Option<Codec> {
    Some(match filter {
        Filter::FlateDecode => Codec::Flate,
        Filter::LzwDecode => Codec::Lzw,
        Filter::AsciiHexDecode => Codec::Hex,
        Filter::Ascii85Decode => Codec::Ascii85,
        Filter::RunLengthDecode => Codec::RunLength,
        _ => return None,
    })
}

fn version_numbers(v: hayro_syntax::PdfVersion) -> (u8, u8) {
    use hayro_syntax::PdfVersion as V;
    match v {
        V::Pdf10 => (1, 0),
        V::Pdf11 => (1, 1),
        V::Pdf12 => (1, 2),
        V::Pdf13 => (1, 3),
        V::Pdf14 => (1, 4),
        V::Pdf15 => (1, 5),
        V::Pdf16 => (1, 6),
        V::Pdf17 => (1, 7),
        V::Pdf20 => (2, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_read_as_typst_will_place_it() {
        // The OVS005 rule fixtures: a one-page A4 PDF, and the same encrypted with a password.
        let ok = include_bytes!("../../../tests/fixtures/rules/OVS005/passes/content/papers/minutes.pdf");
        let a = Attachment::read(Given::Pdf, ok.to_vec()).unwrap();
        assert_eq!(a.pages, [PageSize { width: 595.0, height: 842.0 }]);
        assert!(!a.pages[0].is_landscape());
        assert_eq!(a.version, (1, 7));
        assert!(!a.tagged, "the fixture has no structure tree");
        assert!(a.pdf.0.as_slice() == ok, "the bytes as given");
        let locked = include_bytes!("../../../tests/fixtures/rules/OVS005/fires/content/papers/minutes.pdf");
        assert_eq!(Attachment::read(Given::Pdf, locked.to_vec()).unwrap_err(), Unplaceable::Encrypted);
    }

    #[test]
    fn what_is_not_a_pdf_is_refused() {
        assert_eq!(Attachment::read(Given::Pdf, b"not a pdf".to_vec()).unwrap_err(), Unplaceable::Corrupt);
        assert_eq!(Attachment::read(Given::Pdf, Vec::new()).unwrap_err(), Unplaceable::Corrupt);
    }
}
