//! Asks PDF viewers to show a document's title, not its file name, in their title bar
//! (`/ViewerPreferences << /DisplayDocTitle true >>`, which PDF/UA-1 requires, 7.1).
//!
//! Typst sets it in a document that claims PDF/UA-1, but a pack that places a paper written
//! elsewhere claims no standard, and LibreOffice does not set it in the PDF it makes of a Word
//! paper. Both get it here, as an incremental update (ISO 32000-1, 7.5.6): the bytes as written
//! are kept and a new catalog is appended after them, so nothing else in the file changes.
//! `lopdf` reads the catalog and writes the update: the PDF library Typst uses (krilla, hayro)
//! writes new files or reads them, but does not update one.

use lopdf::{Dictionary, IncrementalDocument, Object};

/// `pdf` with `/DisplayDocTitle true` in its viewer preferences (unchanged if it has it
/// already), or why the file could not be updated.
pub fn show_title(pdf: &[u8]) -> Result<Vec<u8>, String> {
    let mut doc: IncrementalDocument = pdf.try_into().map_err(|e: lopdf::Error| e.to_string())?;
    let prev = doc.get_prev_documents();
    let root = prev.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| e.to_string())?;
    let catalog = prev.get_dictionary(root).map_err(|e| e.to_string())?;
    let current = match catalog.get(b"ViewerPreferences") {
        Ok(Object::Reference(id)) => prev.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    if current.and_then(|d| d.get(b"DisplayDocTitle").ok()).and_then(|v| v.as_bool().ok()) == Some(true) {
        return Ok(pdf.to_vec());
    }
    // The preferences go in the catalog itself, as a direct dictionary, with what they held.
    let mut preferences = current.cloned().unwrap_or_else(Dictionary::new);
    preferences.set("DisplayDocTitle", true);
    doc.opt_clone_object_to_new_document(root).map_err(|e| e.to_string())?;
    let catalog = doc.new_document.get_dictionary_mut(root).map_err(|e| e.to_string())?;
    catalog.set("ViewerPreferences", preferences);
    let mut out = Vec::with_capacity(pdf.len() + 1024);
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display_doc_title(pdf: &[u8]) -> Option<bool> {
        let doc = lopdf::Document::load_mem(pdf).ok()?;
        let prefs = doc.catalog().ok()?.get(b"ViewerPreferences").ok()?;
        let prefs = match prefs {
            Object::Reference(id) => doc.get_dictionary(*id).ok()?,
            other => other.as_dict().ok()?,
        };
        prefs.get(b"DisplayDocTitle").ok()?.as_bool().ok()
    }

    #[test]
    fn the_title_is_shown_and_the_file_as_written_is_kept() {
        // The OVS005 fixture, an ordinary one-page PDF with no viewer preferences.
        let given = include_bytes!("../../../tests/fixtures/rules/OVS005/passes/content/papers/minutes.pdf");
        assert_eq!(display_doc_title(given), None);
        let shown = show_title(given).unwrap();
        assert!(shown.starts_with(given), "an incremental update: the bytes as written come first");
        assert_eq!(display_doc_title(&shown), Some(true));
        let again = show_title(&shown).unwrap();
        assert!(again == shown, "a file that asks already is left as it is");
        let attachment = crate::attached::Attachment::read(crate::attached::Given::Pdf, shown).unwrap();
        assert_eq!(attachment.pages.len(), 1, "hayro, which Typst places pages with, still reads it");
    }

    #[test]
    fn what_is_not_a_pdf_is_an_error() {
        assert!(show_title(b"not a pdf").is_err());
    }
}
