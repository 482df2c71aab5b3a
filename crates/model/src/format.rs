//! Record-format rules (`OVS0xx`): the loader reports these when a file cannot be read as the
//! record it should be. They are always errors (but for `unexpected-file`). The rule catalogue
//! (oversight-rules) lists them with the rest.

use oversight_syntax::diagnostics::{Code, Level};

const FORMAT: &str = "docs/record-format.md";

pub const YAML_SYNTAX: Code = Code {
    code: "OVS001",
    name: "yaml-syntax",
    level: Level::Error,
    summary: "The file is not well-formed YAML",
    explanation: "A record must be a well-formed YAML document (for pages and papers, the front matter between the two `---` lines). Common causes: a tab used for indentation (YAML allows only spaces), a value that starts with a character YAML treats specially (`:`, `#`, `&`, `*`, `[`) and needs quoting, an unclosed quote or bracket, or a key indented differently from its siblings. Records are refused when they nest lists and mappings more than 64 deep, or hold more than 100,000 values once aliases (`*name`) are counted as copies of what they name: no record comes near either, and an alias bomb would otherwise exhaust memory.",
    source: FORMAT,
    configurable: false,
};

pub const UNKNOWN_FIELD: Code = Code {
    code: "OVS002",
    name: "unknown-field",
    level: Level::Error,
    summary: "A record has a key the record format does not define",
    explanation: "Every key of every record kind is listed in the record format. A key that is not there is almost always a typo (`segmnets`, `exit_critera`), and silently ignoring it would silently drop data, so it is an error. The help line suggests the nearest valid key.",
    source: FORMAT,
    configurable: false,
};

pub const INVALID_VALUE: Code = Code {
    code: "OVS003",
    name: "invalid-value",
    level: Level::Error,
    summary: "A value has the wrong type or is not one of the allowed values, or a required field is missing",
    explanation: "Each field has a type: dates are `YYYY-MM-DD` (or `YYYY-MM` for a month), segments are whole numbers, `type`, `region`, `kind`, `status`, `paper_type` and similar fields take one of a fixed list of values, and lists must be YAML lists. Required fields (for an organisation: `name`, `type`, `region`) must be present. Pages and papers need YAML front matter between `---` lines. A PDF or Word paper has none: its title comes from the agenda item that presents it, which must then have a `title:`, and a PDF paper that no agenda presents has no title at all. An appendix must be a PDF or Word paper.",
    source: FORMAT,
    configurable: false,
};

pub const INVALID_ID: Code = Code {
    code: "OVS004",
    name: "invalid-id",
    level: Level::Error,
    summary: "An id (or the file name it defaults to) is not a slug",
    explanation: "Ids appear in URLs and references, so they must be slugs: lower-case letters, digits and hyphens, starting with a letter or digit (`[a-z0-9][a-z0-9-]*`). A record's id defaults to its file name without the extension, so `Morecambe Bay.yaml` must be renamed (for example to `morecambe-bay.yaml`) or given an explicit `id:`. Exit-criterion ids follow the same rule. Ids are at most 100 characters: they become file names and web addresses. A narrative page's id is its path under `content/pages/`, and `page/2`, `page/3` and so on are reserved: the Updates listing's later pages are published there.",
    source: FORMAT,
    configurable: false,
};

pub const UNREADABLE_FILE: Code = Code {
    code: "OVS005",
    name: "unreadable-file",
    level: Level::Error,
    summary: "A file could not be read, is not UTF-8, or is missing; a PDF or Word paper cannot be placed; a published file is a symbolic link",
    explanation: "Every file under `content/` must be readable UTF-8 text (a leading byte-order mark is accepted), and `content/site.yaml` must exist. Files saved in a legacy encoding such as Windows-1252 must be re-saved as UTF-8; the diagnostic points at the first byte that is not UTF-8. Files over 16 MiB are refused: no record is that large. A paper written elsewhere is read as a PDF, with the library Typst places its pages with, so that `oversight check` finds what would stop a pack: a PDF encrypted with a password (one that only restricts printing or copying is fine), a damaged file or one that is not a PDF, a PDF without pages, or one over 64 MiB. A Word paper (`.docx`) is turned into PDF by LibreOffice (`soffice` on PATH), and the PDF is kept in the site's `.oversight-cache/word/`, named by the Word file's content; without LibreOffice, and without that PDF, the paper cannot be read. A symbolic link in `static/` or `themes/`, or on the path of the logo or favicon, is refused: a build publishes only files inside the site folder, and a link could point anywhere.",
    source: FORMAT,
    configurable: false,
};

pub const UNEXPECTED_FILE: Code = Code {
    code: "OVS006",
    name: "unexpected-file",
    level: Level::Warning,
    summary: "A file under content/ is not part of any record kind and is ignored",
    explanation: "Records live in fixed folders: `organisations/`, `support/`, `undertakings/` and `meetings/` hold `.yaml` files, `pages/` holds `.md` files, `papers/` holds `.md`, `.pdf` and `.docx` papers and the `.yaml` details of PDF and Word papers, and `site.yaml` sits at the top. A file elsewhere, or with another extension, is ignored, which is usually a mistake (`organisation/x.yaml`, `x.yml.bak`). Editor backup and swap files are ignored silently.",
    source: FORMAT,
    configurable: true,
};

pub const DOCUMENT_LIMIT: Code = Code {
    code: "OVS007",
    name: "document-limit",
    level: Level::Error,
    summary: "A page or paper nests block quotes, lists or footnotes deeper than every output can show, or has a heading, image description or address too long for a PDF",
    explanation: "Block quotes and lists may nest at most 16 deep, and footnotes that cite footnotes at most 4 deep: a PDF prints a note cited inside another note inside it, and deeper chains could only show a bare `[^label]`. A heading, an image's description and a link's or image's address hold at most 2,000 characters: a PDF keeps each as one string (a bookmark, an alternative text, a link), which PDF/A limits to 32,767 bytes and Typst, for an address, to 8,000. Real papers come nowhere near these limits; a document that does is usually a stray run of `>` characters, a chain of notes that should cite each other from the text, or text pasted into the wrong place. Found by `oversight check`, so a build never fails on it later.",
    source: FORMAT,
    configurable: false,
};

pub const MISSING_TEXT: Code = Code {
    code: "OVS008",
    name: "missing-text",
    level: Level::Error,
    summary: "An image in a page or paper has no description, or a heading or a table's header row has no text",
    explanation: "Write what an image shows between the brackets: `![Entries and exits by quarter, 2021 to 2025](entries.png)`. Screen readers read the description in its place (WCAG 2.2 success criterion 1.1.1, which UK public-sector websites must meet), and a paper's PDF, which is tagged to the PDF/UA-1 standard, prints it where the image would be; an image with no description says nothing to either. Likewise a heading with no text (a `##` alone on its line) gives screen-reader users and the PDF's bookmarks an empty entry, and PDF/UA does not allow one. And a table whose header row is empty (`| | |` above the `|---|---|` line) names none of its columns: a screen reader reads each cell with its column's header, and a paper's PDF marks the header row's cells as the table's column headers (TH, as PDF/UA asks); write a name for each column. A purely decorative image does not belong in a register's pages; if a site has one, this rule can be set to a warning in site.yaml.",
    source: FORMAT,
    configurable: true,
};

pub const LINKED_CONTENT: Code = Code {
    code: "OVS009",
    name: "linked-content",
    level: Level::Error,
    summary: "A Word paper links content from outside the file: a picture, object or text by path or address",
    explanation: "A Word paper is turned into PDF by LibreOffice, which would fetch content the document links rather than holds (a picture linked by a path such as `outside/secret.png` or by a URL, an `INCLUDEPICTURE`, `INCLUDETEXT`, `LINK`, `DDE` or `IMPORT` field, an object linked to another file) and embed it in the PDF the website publishes: files outside the site, or a request to another server at every check. So the Word file is read first (its relationships with `TargetMode=\"External\"`, other than hyperlinks, and its field codes) and, if it links anything, refused before LibreOffice runs. LibreOffice itself runs with a fresh profile of its own in which updating links on load is turned off. Embed the content instead (in Word: File > Info > Edit Links to Files > Break Link, or insert the picture without \"Link to File\"), and save again.",
    source: FORMAT,
    configurable: false,
};
