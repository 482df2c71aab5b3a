//! The Typst `World` papers are compiled in: the generated main file, the paper template, a
//! JSON file of data, the SVG charts and the PDFs of papers written elsewhere, all in memory;
//! fonts embedded in the binary (Liberation Sans for the NHS house style, and two fallbacks);
//! no files from disk, no packages, no network, and a fixed date, so the same input gives the
//! same PDF on every machine.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World};

/// The embedded fonts (licences beside them in `themes/nhs/fonts/`):
/// - Liberation Sans (SIL OFL), metrically compatible with Arial, the NHS fallback for Frutiger:
///   the text of every paper;
/// - DejaVu Sans Mono (Bitstream Vera licence), Typst's default for code;
/// - Libertinus Serif (SIL OFL), Typst's default text font, kept as the fallback for the
///   Greek, Cyrillic and symbols Liberation Sans lacks.
///
/// Typst's bundled set (`typst-assets`' `fonts` feature) would add New Computer Modern and its
/// maths fonts, 6.6 MB of the binary for mathematics papers never typeset.
const FONTS: [&[u8]; 12] = [
    include_bytes!("../../../themes/nhs/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../../themes/nhs/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../../themes/nhs/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../../themes/nhs/fonts/LiberationSans-BoldItalic.ttf"),
    include_bytes!("../../../themes/nhs/fonts/DejaVuSansMono.ttf"),
    include_bytes!("../../../themes/nhs/fonts/DejaVuSansMono-Bold.ttf"),
    include_bytes!("../../../themes/nhs/fonts/DejaVuSansMono-Oblique.ttf"),
    include_bytes!("../../../themes/nhs/fonts/DejaVuSansMono-BoldOblique.ttf"),
    include_bytes!("../../../themes/nhs/fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../../../themes/nhs/fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../../../themes/nhs/fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../../../themes/nhs/fonts/LibertinusSerif-BoldItalic.otf"),
];

/// The fonts and the standard library, loaded once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    let book = FontBook::from_fonts(&fonts);
    // `a11y-extras` gives templates `pdf.header-cell`, which marks a table's label column as
    // row headers (TH, Scope Row): the cover block's labels are. Typst calls the feature's API
    // temporary; it adds functions and changes nothing else.
    let library = Library::builder().with_features([Feature::A11yExtras].into_iter().collect()).build();
    Shared { library: LazyHash::new(library), book: LazyHash::new(book), fonts }
});

/// Whether some embedded font can draw `c`. A PDF/UA document may not hold text it cannot
/// display, so what none can (a control character, an emoji) is replaced before typesetting.
pub(crate) fn displayable(c: char) -> bool {
    matches!(c, '\n' | '\t' | ' ')
        || (!c.is_control() && SHARED.fonts.iter().any(|f| f.info().coverage.contains(u32::from(c))))
}

/// `text` with each character no embedded font can draw shown as `�`, as a viewer shows a
/// missing glyph; unchanged (and not copied) when every character can be drawn.
pub(crate) fn drawable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(displayable) {
        return text.into();
    }
    text.chars().map(|c| if displayable(c) { c } else { '\u{FFFD}' }).collect::<String>().into()
}

/// A file id for a path in the virtual project (`/main.typ`).
pub(crate) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").expect("a valid literal path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One compilation's files.
pub(crate) struct PaperWorld {
    main: Source,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl PaperWorld {
    /// A world whose main file is `main`, with other Typst `sources` and binary `files` by
    /// virtual path, on the given day.
    pub(crate) fn new(
        main: String,
        sources: Vec<(&str, String)>,
        files: Vec<(String, Bytes)>,
        today: Datetime,
    ) -> PaperWorld {
        let main = Source::new(file_id("/main.typ"), main);
        let sources =
            sources.into_iter().map(|(path, text)| (file_id(path), Source::new(file_id(path), text))).collect();
        let files = files.into_iter().map(|(path, bytes)| (file_id(&path), bytes)).collect();
        PaperWorld { main, sources, files, today }
    }

    pub(crate) fn main_source(&self) -> &Source {
        &self.main
    }

    /// The source a diagnostic points into, if it is one of ours.
    pub(crate) fn lookup(&self, id: FileId) -> Option<&Source> {
        if id == self.main.id() { Some(&self.main) } else { self.sources.get(&id) }
    }
}

impl World for PaperWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.lookup(id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.lookup(id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
