//! A pack that holds papers written elsewhere, kept PDF/UA-1 when those papers are tagged PDFs
//! (#26): the given pages are grafted into the pack after Typst, structure and all.
//!
//! Typst cannot keep a placed PDF's tags, so a pack that places given PDFs through Typst claims
//! no standard. Instead, the pack is typeset with a placeholder image where each given page
//! goes (its alternative text says which: [`MARK`]) and claims PDF/UA-1; then, with lopdf,
//! each placeholder is replaced by its given page:
//!
//! - the page's content becomes a form XObject painted where the placeholder was (the form's
//!   matrix maps the given page onto the placeholder's unit square, so the pack's running header
//!   and footer, drawn around it, stay);
//! - the given document's structure tree goes in the pack's, in place of the first page's
//!   placeholder figure (as a `Part`); the other placeholders' figures are removed;
//! - marked content that the given structure finds on a page is found in that page's form
//!   (marked-content references with `/Stm`, ISO 32000-1, 14.7.4.2), and the parent tree gives
//!   each form the elements its marked content belongs to.
//!
//! A given PDF this cannot graft faithfully (not tagged, PDF 2.0, encrypted, rotated pages,
//! optional content, a font it does not embed, a structure it does not understand) is not
//! grafted: [`graft`] says why, and the pack places its pages as Typst does, claiming no
//! standard. Links in a given page are not kept (they are not now either: Typst places a page
//! as an image), nor are its annotations; the structure elements that pointed at them keep
//! their text.

use std::collections::{HashMap, HashSet};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

/// The start of a placeholder figure's alternative text: `oversight-graft K P` is page P
/// (from 0) of the pack's given PDF K (from 0, in the order they are placed).
pub(crate) const MARK: &str = "oversight-graft";

/// `pack` (a PDF Typst made, with placeholders) with every placeholder replaced by its page of
/// `given` (the given PDFs, in the order they are placed), or why it cannot be.
pub(crate) fn graft(pack: &[u8], given: &[&[u8]]) -> Result<Vec<u8>, String> {
    let mut doc = Document::load_mem(pack).map_err(|e| format!("the pack as typeset cannot be read: {e}"))?;
    let placeholders = placeholders(&doc)?;
    for (k, bytes) in given.iter().enumerate() {
        let source = Document::load_mem(bytes).map_err(|e| format!("given PDF {k} cannot be read: {e}"))?;
        let mut mine: Vec<&Placeholder> = placeholders.iter().filter(|p| p.given == k).collect();
        mine.sort_by_key(|p| p.page);
        Graft::new(&source, k, &mine)?.apply(&mut doc)?;
    }
    let mut out = Vec::with_capacity(pack.len() + given.iter().map(|g| g.len()).sum::<usize>());
    doc.save_to(&mut out).map_err(|e| format!("the pack cannot be written: {e}"))?;
    Ok(out)
}

/// A placeholder figure of the pack as typeset.
#[derive(Debug)]
struct Placeholder {
    given: usize,
    page: usize,
    /// The figure's structure element and its parent.
    element: ObjectId,
    parent: ObjectId,
    /// The pack page it is on, and the marked content (MCID) that paints it.
    pack_page: ObjectId,
    mcid: i64,
}

fn placeholders(doc: &Document) -> Result<Vec<Placeholder>, String> {
    let mut found = Vec::new();
    for (&id, object) in &doc.objects {
        let Ok(dict) = object.as_dict() else { continue };
        let Some(alt) = dict.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok()) else { continue };
        let Some(rest) = alt.strip_prefix(MARK) else { continue };
        let mut numbers = rest.split_whitespace().map(str::parse::<usize>);
        let (Some(Ok(given)), Some(Ok(page)), None) = (numbers.next(), numbers.next(), numbers.next()) else {
            return Err(format!("a placeholder's text is not understood: {alt}"));
        };
        let parent = dict.get(b"P").and_then(Object::as_reference).map_err(|_| "a placeholder has no parent")?;
        let (mcid, page_ref) = match dict.get(b"K") {
            Ok(Object::Integer(m)) => (*m, dict.get(b"Pg")),
            Ok(Object::Dictionary(mcr)) => (
                mcr.get(b"MCID").and_then(Object::as_i64).map_err(|e| e.to_string())?,
                mcr.get(b"Pg").or(dict.get(b"Pg")),
            ),
            Ok(Object::Array(kids)) if kids.len() == 1 => match &kids[0] {
                Object::Integer(m) => (*m, dict.get(b"Pg")),
                _ => return Err("a placeholder's content is not one marked sequence".into()),
            },
            _ => return Err("a placeholder's content is not one marked sequence".into()),
        };
        let pack_page = page_ref.and_then(Object::as_reference).map_err(|_| "a placeholder names no page")?;
        found.push(Placeholder { given, page, element: id, parent, pack_page, mcid });
    }
    Ok(found)
}

/// One given PDF on its way into the pack.
struct Graft<'a> {
    source: &'a Document,
    /// Which given PDF it is, for the structure ids it brings (`given3-…`).
    index: usize,
    /// Its pages, each with the placeholder it replaces.
    pages: Vec<(ObjectId, &'a Placeholder)>,
}

impl<'a> Graft<'a> {
    fn new(source: &'a Document, index: usize, placeholders: &[&'a Placeholder]) -> Result<Graft<'a>, String> {
        let what = format!("given PDF {index}");
        if source.is_encrypted() {
            return Err(format!("{what} is encrypted"));
        }
        let catalog = source.catalog().map_err(|e| format!("{what}: {e}"))?;
        let marked = catalog
            .get_deref(b"MarkInfo", source)
            .and_then(Object::as_dict)
            .and_then(|m| m.get(b"Marked"))
            .and_then(Object::as_bool)
            .unwrap_or(false);
        if !marked || catalog.get(b"StructTreeRoot").is_err() {
            return Err(format!("{what} is not tagged"));
        }
        if catalog.get(b"OCProperties").is_ok() {
            return Err(format!("{what} has optional content"));
        }
        if source.version.as_str() > "1.7" {
            return Err(format!("{what} is PDF {}", source.version));
        }
        if let Some(font) =
            source.objects.values().filter_map(|o| o.as_dict().ok()).find(|d| is_unembedded_font(d, source))
        {
            let name = font.get(b"BaseFont").and_then(Object::as_name).map(String::from_utf8_lossy).unwrap_or_default();
            return Err(format!("{what} does not embed its font {name}"));
        }
        let pages: Vec<ObjectId> = source.get_pages().into_values().collect();
        if pages.len() != placeholders.len() || placeholders.iter().enumerate().any(|(i, p)| p.page != i) {
            return Err(format!(
                "{what} has {} pages, and the pack {} placeholders for it",
                pages.len(),
                placeholders.len()
            ));
        }
        for &page in &pages {
            let rotate = inherited(source, page, b"Rotate").and_then(|r| r.as_i64().ok()).unwrap_or(0);
            if rotate.rem_euclid(360) != 0 {
                return Err(format!("{what} has a rotated page"));
            }
        }
        Ok(Graft { source, index, pages: pages.into_iter().zip(placeholders.iter().copied()).collect() })
    }

    fn apply(self, doc: &mut Document) -> Result<(), String> {
        let what = format!("given PDF {}", self.index);
        let source = self.source;
        // The form each given page becomes: its id is needed before the structure is copied.
        let forms: HashMap<ObjectId, (ObjectId, ObjectId)> =
            self.pages.iter().map(|(page, p)| (*page, (p.pack_page, doc.new_object_id()))).collect();
        let catalog = source.catalog().map_err(|e| format!("{what}: {e}"))?;
        let root_id = catalog
            .get(b"StructTreeRoot")
            .and_then(Object::as_reference)
            .map_err(|_| format!("{what}: its structure tree is not an object"))?;
        let root = source.get_dictionary(root_id).map_err(|e| format!("{what}: {e}"))?;
        let first = self.pages.first().map(|(_, p)| *p).ok_or_else(|| format!("{what} has no pages"))?;
        let mut copy = Copier {
            source,
            ids: HashMap::new(),
            pages: &forms,
            struct_root: root_id,
            part: first.element,
            prefix: format!("given{}-", self.index).into_bytes(),
            id_names: Vec::new(),
            struct_parents: Vec::new(),
            next_key: next_parent_key(doc)?,
        };

        // The structure: the given tree's children go under the first placeholder, made a Part.
        let kids = match root.get(b"K") {
            Ok(k) => copy.kids(doc, k, first.element, None)?,
            Err(_) => Vec::new(),
        };
        let lang = catalog.get(b"Lang").ok().cloned();
        let part = doc.get_dictionary_mut(first.element).map_err(|e| e.to_string())?;
        part.set("S", Object::Name(b"Part".to_vec()));
        part.remove(b"Alt");
        part.remove(b"Pg");
        part.set("K", Object::Array(kids));
        if let Some(lang) = lang {
            part.set("Lang", lang);
        }
        merge_map(doc, source, root, b"RoleMap")?;
        merge_map(doc, source, root, b"ClassMap")?;

        // The pages: each placeholder's marked content paints the page's form instead.
        let mut entries: Vec<(i64, Object)> = Vec::new();
        let mut forgotten: Vec<(i64, i64)> = Vec::new();
        for (page, placeholder) in &self.pages {
            let (_, form_id) = forms[page];
            let form_key = copy.next_key;
            copy.next_key += 1;
            let form = copy.form(doc, *page, form_key)?;
            doc.objects.insert(form_id, Object::Stream(form));
            // The marked content of the given page belongs to the elements its parent tree
            // entry names (copied above).
            if let Some(entry) = copy.parent_entry(doc, *page)? {
                entries.push((form_key, entry));
            }
            repaint(doc, placeholder, form_id, self.index)?;
            forgotten.push((parent_key(doc, placeholder.pack_page)?, placeholder.mcid));
            if placeholder.page > 0 {
                remove_kid(doc, placeholder.parent, placeholder.element)?;
                doc.objects.remove(&placeholder.element);
            }
        }
        // Forms inside the given pages that carry marked content of their own.
        for (old, new) in std::mem::take(&mut copy.struct_parents) {
            if let Some(entry) = copy.parent_entry_for_key(doc, old)? {
                entries.push((new, entry));
            }
        }
        let next_key = copy.next_key;
        let id_names = std::mem::take(&mut copy.id_names);
        add_parent_entries(doc, entries, &forgotten, next_key)?;
        add_ids(doc, id_names)?;
        Ok(())
    }
}

/// Copies objects of a given PDF into the pack, each once, renumbered.
struct Copier<'a> {
    source: &'a Document,
    /// Given object → pack object.
    ids: HashMap<ObjectId, ObjectId>,
    /// Given page → (pack page, the form its content becomes).
    pages: &'a HashMap<ObjectId, (ObjectId, ObjectId)>,
    struct_root: ObjectId,
    /// The pack's element that stands for the given structure tree root.
    part: ObjectId,
    /// Given structure ids are made unique in the pack with it.
    prefix: Vec<u8>,
    /// Structure ids of the copied elements, for the pack's ID tree.
    id_names: Vec<(Vec<u8>, ObjectId)>,
    /// (given key, pack key) of the forms copied with a `/StructParents` of their own.
    struct_parents: Vec<(i64, i64)>,
    next_key: i64,
}

impl Copier<'_> {
    /// `object` as the pack has it: references to given objects copied (pages become their
    /// pack page, the structure root the pack's Part).
    fn object(&mut self, doc: &mut Document, object: &Object) -> Result<Object, String> {
        Ok(match object {
            Object::Reference(id) => Object::Reference(self.reference(doc, *id)?),
            Object::Array(items) => Object::Array(items.iter().map(|o| self.object(doc, o)).collect::<Result<_, _>>()?),
            Object::Dictionary(d) => Object::Dictionary(self.dictionary(doc, d)?),
            Object::Stream(s) => Object::Stream(Stream { dict: self.dictionary(doc, &s.dict)?, ..s.clone() }),
            other => other.clone(),
        })
    }

    fn reference(&mut self, doc: &mut Document, id: ObjectId) -> Result<ObjectId, String> {
        if let Some((pack_page, _)) = self.pages.get(&id) {
            return Ok(*pack_page);
        }
        if id == self.struct_root {
            return Ok(self.part);
        }
        if let Some(new) = self.ids.get(&id) {
            return Ok(*new);
        }
        let new = doc.new_object_id();
        self.ids.insert(id, new);
        let copied = match self.source.get_object(id) {
            Ok(o) => self.object(doc, &o.clone())?,
            Err(_) => Object::Null,
        };
        doc.objects.insert(new, copied);
        Ok(new)
    }

    fn dictionary(&mut self, doc: &mut Document, dict: &Dictionary) -> Result<Dictionary, String> {
        if is_struct_element(dict) {
            return Err("a structure element written inside another object".into());
        }
        let mut out = Dictionary::new();
        for (key, value) in dict.iter() {
            let value = match key.as_slice() {
                // A form with marked content of its own: a key of the pack's parent tree.
                b"StructParents" => {
                    let old = value.as_i64().map_err(|e| e.to_string())?;
                    let new = self.next_key;
                    self.next_key += 1;
                    self.struct_parents.push((old, new));
                    Object::Integer(new)
                }
                b"Headers" => self.ids_in(value),
                _ => self.object(doc, value)?,
            };
            out.set(key.clone(), value);
        }
        Ok(out)
    }

    /// Structure ids renamed as the copied elements have them.
    fn ids_in(&self, value: &Object) -> Object {
        match value {
            Object::String(s, format) => Object::String([self.prefix.as_slice(), s].concat(), *format),
            Object::Array(items) => Object::Array(items.iter().map(|o| self.ids_in(o)).collect()),
            other => other.clone(),
        }
    }

    /// The kids `k` of a structure element (the pack's `parent`), on page `page` unless they
    /// say otherwise. Integer kids are marked content of the page's content, which is now its
    /// form's; object references (annotations) are dropped with the annotations.
    fn kids(
        &mut self,
        doc: &mut Document,
        k: &Object,
        parent: ObjectId,
        page: Option<ObjectId>,
    ) -> Result<Vec<Object>, String> {
        let items = match k {
            Object::Array(items) => items.clone(),
            one => vec![one.clone()],
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Object::Integer(mcid) => out.push(self.marked(mcid, page, None)?),
                Object::Reference(id) => {
                    let dict = self.source.get_dictionary(id).map_err(|e| e.to_string())?;
                    if is_struct_element(dict) {
                        out.push(Object::Reference(self.element(doc, id, parent, page)?));
                    } else if let Some(kid) = self.reference_kid(doc, dict, page)? {
                        out.push(kid);
                    }
                }
                Object::Dictionary(dict) => {
                    if let Some(kid) = self.reference_kid(doc, &dict, page)? {
                        out.push(kid);
                    }
                }
                _ => return Err("a structure element has a kid that is not one".into()),
            }
        }
        Ok(out)
    }

    /// A marked-content reference (kept, in the page's form) or an object reference (dropped).
    fn reference_kid(
        &mut self,
        doc: &mut Document,
        dict: &Dictionary,
        page: Option<ObjectId>,
    ) -> Result<Option<Object>, String> {
        match dict.get(b"Type").and_then(Object::as_name).unwrap_or(b"") {
            b"OBJR" => Ok(None),
            b"MCR" => {
                let mcid = dict.get(b"MCID").and_then(Object::as_i64).map_err(|e| e.to_string())?;
                let page = dict.get(b"Pg").and_then(Object::as_reference).ok().or(page);
                let stream = match dict.get(b"Stm") {
                    Ok(Object::Reference(stm)) => Some(self.reference(doc, *stm)?),
                    _ => None,
                };
                Ok(Some(self.marked(mcid, page, stream)?))
            }
            _ => Err("a structure element has a kid that is not one".into()),
        }
    }

    /// A marked-content reference to `mcid` in `stream`, or else in the form of `page`.
    fn marked(&self, mcid: i64, page: Option<ObjectId>, stream: Option<ObjectId>) -> Result<Object, String> {
        let page = page.ok_or("marked content on no page")?;
        let (pack_page, form) = *self.pages.get(&page).ok_or("marked content on a page that is not the paper's")?;
        let mut mcr = Dictionary::new();
        mcr.set("Type", Object::Name(b"MCR".to_vec()));
        mcr.set("Pg", Object::Reference(pack_page));
        mcr.set("Stm", Object::Reference(stream.unwrap_or(form)));
        mcr.set("MCID", Object::Integer(mcid));
        Ok(Object::Dictionary(mcr))
    }

    /// Copies the structure element `id` (and what is under it) as a child of `parent`.
    fn element(
        &mut self,
        doc: &mut Document,
        id: ObjectId,
        parent: ObjectId,
        page: Option<ObjectId>,
    ) -> Result<ObjectId, String> {
        if let Some(new) = self.ids.get(&id) {
            return Ok(*new);
        }
        let new = doc.new_object_id();
        self.ids.insert(id, new);
        let dict = self.source.get_dictionary(id).map_err(|e| e.to_string())?.clone();
        let page = dict.get(b"Pg").and_then(Object::as_reference).ok().or(page);
        let mut out = Dictionary::new();
        for (key, value) in dict.iter() {
            let value = match key.as_slice() {
                b"P" => Object::Reference(parent),
                b"K" => Object::Array(self.kids(doc, value, new, page)?),
                b"ID" => {
                    let Object::String(s, _) = value else { return Err("a structure id that is not a string".into()) };
                    let renamed = [self.prefix.as_slice(), s].concat();
                    self.id_names.push((renamed.clone(), new));
                    Object::String(renamed, StringFormat::Literal)
                }
                _ => self.object(doc, value)?,
            };
            out.set(key.clone(), value);
        }
        doc.objects.insert(new, Object::Dictionary(out));
        Ok(new)
    }

    /// The form XObject the given `page` becomes, with the parent tree key `key`.
    fn form(&mut self, doc: &mut Document, page: ObjectId, key: i64) -> Result<Stream, String> {
        let source = self.source;
        let area = inherited(source, page, b"CropBox")
            .or_else(|| inherited(source, page, b"MediaBox"))
            .and_then(|b| b.as_array().ok().cloned())
            .ok_or("a page with no size")?;
        let numbers: Vec<f64> = area.iter().filter_map(number).collect();
        let [x0, y0, x1, y1] = numbers[..] else { return Err("a page size that is not four numbers".into()) };
        let (x0, x1, y0, y1) = (x0.min(x1), x0.max(x1), y0.min(y1), y0.max(y1));
        let (w, h) = (x1 - x0, y1 - y0);
        if w <= 0.0 || h <= 0.0 {
            return Err("a page with no area".into());
        }
        let content = page_content(source, page);
        let (direct, referenced) = source.get_page_resources(page).map_err(|e| e.to_string())?;
        let resources = match (direct, referenced.first()) {
            (Some(d), _) => self.dictionary(doc, d)?,
            (None, Some(id)) => {
                let d = source.get_dictionary(*id).map_err(|e| e.to_string())?.clone();
                self.dictionary(doc, &d)?
            }
            (None, None) => Dictionary::new(),
        };
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Form".to_vec()));
        dict.set("BBox", Object::Array([x0, y0, x1, y1].into_iter().map(real).collect()));
        // The given page onto the unit square the placeholder image was painted in.
        dict.set("Matrix", Object::Array(onto_unit_square(x0, y0, w, h).into_iter().map(real).collect()));
        dict.set("Resources", Object::Dictionary(resources));
        dict.set("StructParents", Object::Integer(key));
        if let Ok(group) = source.get_dictionary(page).map_err(|e| e.to_string())?.get(b"Group") {
            let group = self.object(doc, &group.clone())?;
            dict.set("Group", group);
        }
        let mut stream = Stream::new(dict, content);
        stream.compress().map_err(|e| e.to_string())?;
        Ok(stream)
    }

    /// The given page's parent tree entry, as the pack's elements.
    fn parent_entry(&mut self, doc: &mut Document, page: ObjectId) -> Result<Option<Object>, String> {
        let dict = self.source.get_dictionary(page).map_err(|e| e.to_string())?;
        match dict.get(b"StructParents").and_then(Object::as_i64) {
            Ok(key) => self.parent_entry_for_key(doc, key),
            Err(_) => Ok(None),
        }
    }

    fn parent_entry_for_key(&mut self, doc: &mut Document, key: i64) -> Result<Option<Object>, String> {
        let Some(entry) = parent_tree(self.source)?.into_iter().find(|(k, _)| *k == key).map(|(_, v)| v) else {
            return Ok(None);
        };
        let entry = match entry {
            Object::Reference(id) => self.source.get_object(id).map_err(|e| e.to_string())?.clone(),
            other => other,
        };
        let Object::Array(elements) = entry else { return Ok(None) };
        let mapped = elements
            .iter()
            .map(|e| match e {
                Object::Reference(id) => self.ids.get(id).map_or(Object::Null, |new| Object::Reference(*new)),
                _ => Object::Null,
            })
            .collect();
        Ok(Some(Object::Reference(doc.add_object(Object::Array(mapped)))))
    }
}

fn is_struct_element(dict: &Dictionary) -> bool {
    dict.get(b"S").is_ok()
        && !matches!(dict.get(b"Type").and_then(Object::as_name), Ok(b"MCR" | b"OBJR"))
        && dict.get(b"Type").and_then(Object::as_name).map_or(true, |t| t == b"StructElem")
}

/// A font the document names but does not embed (a Type 3 font is drawn by the file itself).
fn is_unembedded_font(dict: &Dictionary, doc: &Document) -> bool {
    if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font") {
        return false;
    }
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
    if subtype == b"Type3" {
        return false;
    }
    // A composite font's glyphs are its descendant's.
    if subtype == b"Type0" {
        return false;
    }
    let Ok(descriptor) = dict.get_deref(b"FontDescriptor", doc).and_then(Object::as_dict) else { return true };
    !(descriptor.has(b"FontFile") || descriptor.has(b"FontFile2") || descriptor.has(b"FontFile3"))
}

/// A page attribute the page or the page tree above it sets (ISO 32000-1, 7.7.3.4).
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get_deref(key, doc) {
            return Some(value.clone());
        }
        node = node.get_deref(b"Parent", doc).and_then(Object::as_dict).ok()?;
    }
    None
}

/// The matrix that maps the box at (`x0`, `y0`), `w` by `h`, onto the unit square.
fn onto_unit_square(x0: f64, y0: f64, w: f64, h: f64) -> [f64; 6] {
    [1.0 / w, 0.0, 0.0, 1.0 / h, -x0 / w, -y0 / h]
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn real(x: f64) -> Object {
    Object::Real(x as f32)
}

/// The parent tree of `doc` as (key, entry) pairs, however its number tree is split.
fn parent_tree(doc: &Document) -> Result<Vec<(i64, Object)>, String> {
    let catalog = doc.catalog().map_err(|e| e.to_string())?;
    let root = catalog.get_deref(b"StructTreeRoot", doc).and_then(Object::as_dict).map_err(|e| e.to_string())?;
    let Ok(tree) = root.get_deref(b"ParentTree", doc).and_then(Object::as_dict) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let mut stack = vec![tree.clone()];
    let mut seen = 0;
    while let Some(node) = stack.pop() {
        seen += 1;
        if seen > 100_000 {
            return Err("a parent tree too large to read".into());
        }
        if let Ok(nums) = node.get_deref(b"Nums", doc).and_then(Object::as_array) {
            for pair in nums.chunks(2) {
                if let [Object::Integer(k), v] = pair {
                    out.push((*k, v.clone()));
                }
            }
        }
        if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) {
            for kid in kids {
                let kid = doc.dereference(kid).map_err(|e| e.to_string())?.1;
                stack.push(kid.as_dict().map_err(|e| e.to_string())?.clone());
            }
        }
    }
    Ok(out)
}

/// The pack's structure tree root (its id) and its parent tree (a dictionary with `/Nums`).
fn pack_struct_root(doc: &Document) -> Result<ObjectId, String> {
    doc.catalog()
        .and_then(|c| c.get(b"StructTreeRoot"))
        .and_then(Object::as_reference)
        .map_err(|_| "the pack has no structure tree".into())
}

/// The first parent tree key the pack does not use.
fn next_parent_key(doc: &Document) -> Result<i64, String> {
    let used = parent_tree(doc)?.into_iter().map(|(k, _)| k).max().map_or(0, |k| k + 1);
    let root = doc.get_dictionary(pack_struct_root(doc)?).map_err(|e| e.to_string())?;
    let next = root.get(b"ParentTreeNextKey").and_then(Object::as_i64).unwrap_or(0);
    Ok(used.max(next))
}

/// The content of `page`: its streams decoded and joined (a stream may end in the middle of
/// no operator, so a line break goes between them).
fn page_content(doc: &Document, page: ObjectId) -> Vec<u8> {
    let mut out = Vec::new();
    for id in doc.get_page_contents(page) {
        if let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) {
            // lopdf decodes only filtered streams: an unfiltered one is as written.
            out.extend(stream.decompressed_content().unwrap_or_else(|_| stream.content.clone()));
            out.push(b'\n');
        }
    }
    out
}

/// The parent tree key of a pack page.
fn parent_key(doc: &Document, page: ObjectId) -> Result<i64, String> {
    doc.get_dictionary(page)
        .and_then(|p| p.get(b"StructParents"))
        .and_then(Object::as_i64)
        .map_err(|_| "the pack's page has no parent tree key".into())
}

/// Adds `entries` to the pack's parent tree (one flat `/Nums`, as Typst writes it), with the
/// `forgotten` (key, MCID) pairs, the placeholders' marked content, no longer pointing at
/// their figures.
fn add_parent_entries(
    doc: &mut Document,
    entries: Vec<(i64, Object)>,
    forgotten: &[(i64, i64)],
    next_key: i64,
) -> Result<(), String> {
    let mut all = parent_tree(doc)?;
    for (key, mcid) in forgotten {
        let slot = usize::try_from(*mcid).map_err(|_| "a negative MCID")?;
        let entry =
            all.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v).ok_or("the pack's page has no parent tree entry")?;
        let items = match entry {
            Object::Reference(id) => {
                doc.get_object_mut(*id).and_then(Object::as_array_mut).map_err(|e| e.to_string())?
            }
            Object::Array(items) => items,
            _ => return Err("a parent tree entry that is not an array".into()),
        };
        if let Some(item) = items.get_mut(slot) {
            *item = Object::Null;
        }
    }
    all.extend(entries);
    all.sort_by_key(|(k, _)| *k);
    let nums = all.into_iter().flat_map(|(k, v)| [Object::Integer(k), v]).collect();
    let mut tree = Dictionary::new();
    tree.set("Nums", Object::Array(nums));
    let tree = doc.add_object(Object::Dictionary(tree));
    let root = doc.get_dictionary_mut(pack_struct_root(doc)?).map_err(|e| e.to_string())?;
    root.set("ParentTree", Object::Reference(tree));
    root.set("ParentTreeNextKey", Object::Integer(next_key));
    Ok(())
}

/// Adds the copied elements' ids to the pack's ID tree (one flat, sorted `/Names`).
fn add_ids(doc: &mut Document, names: Vec<(Vec<u8>, ObjectId)>) -> Result<(), String> {
    if names.is_empty() {
        return Ok(());
    }
    let root_id = pack_struct_root(doc)?;
    let mut all: Vec<(Vec<u8>, Object)> = Vec::new();
    let root = doc.get_dictionary(root_id).map_err(|e| e.to_string())?;
    if let Ok(tree) = root.get_deref(b"IDTree", doc).and_then(Object::as_dict) {
        if tree.has(b"Kids") {
            return Err("the pack's ID tree is split".into());
        }
        if let Ok(existing) = tree.get_deref(b"Names", doc).and_then(Object::as_array) {
            for pair in existing.chunks(2) {
                if let [Object::String(name, _), v] = pair {
                    all.push((name.clone(), v.clone()));
                }
            }
        }
    }
    let known: HashSet<Vec<u8>> = all.iter().map(|(n, _)| n.clone()).collect();
    for (name, id) in names {
        if known.contains(&name) {
            return Err("a structure id of the given PDF is the pack's too".into());
        }
        all.push((name, Object::Reference(id)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tree = Dictionary::new();
    tree.set(
        "Names",
        Object::Array(all.into_iter().flat_map(|(n, v)| [Object::String(n, StringFormat::Literal), v]).collect()),
    );
    let root = doc.get_dictionary_mut(root_id).map_err(|e| e.to_string())?;
    root.set("IDTree", Object::Dictionary(tree));
    Ok(())
}

/// Adds the given structure's role (or class) map to the pack's; a name both map differently
/// cannot be grafted.
fn merge_map(doc: &mut Document, source: &Document, root: &Dictionary, key: &[u8]) -> Result<(), String> {
    let Ok(given) = root.get_deref(key, source).and_then(Object::as_dict) else { return Ok(()) };
    let root_id = pack_struct_root(doc)?;
    let mut map = match doc.get_dictionary(root_id).map_err(|e| e.to_string())?.get_deref(key, doc) {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    for (name, value) in given.iter() {
        let value = source.dereference(value).map_err(|e| e.to_string())?.1;
        if key == b"ClassMap" && !matches!(value, Object::Dictionary(_) | Object::Array(_)) {
            return Err("a class map that is not understood".into());
        }
        match map.get(name) {
            Ok(existing) if existing != value => {
                return Err(format!(
                    "its {} maps {} otherwise than the pack's",
                    String::from_utf8_lossy(key),
                    String::from_utf8_lossy(name)
                ));
            }
            Ok(_) => {}
            Err(_) => map.set(name.clone(), value.clone()),
        }
    }
    if key == b"ClassMap" && given.iter().any(|(_, v)| contains_reference(v)) {
        return Err("a class map with objects of its own".into());
    }
    let root = doc.get_dictionary_mut(root_id).map_err(|e| e.to_string())?;
    root.set(key.to_vec(), Object::Dictionary(map));
    Ok(())
}

fn contains_reference(o: &Object) -> bool {
    match o {
        Object::Reference(_) => true,
        Object::Array(items) => items.iter().any(contains_reference),
        Object::Dictionary(d) => d.iter().any(|(_, v)| contains_reference(v)),
        _ => false,
    }
}

/// In the placeholder's page, the marked content that painted it now paints `form`, with no
/// MCID of its own: the form's content is marked, and belongs to the given structure. (It
/// stays in a marked-content sequence, `/Span`, for checkers that look no further than the
/// page's content for paint that is neither tagged nor an artifact.)
fn repaint(doc: &mut Document, placeholder: &Placeholder, form: ObjectId, index: usize) -> Result<(), String> {
    let page_id = placeholder.pack_page;
    let content = page_content(doc, page_id);
    let mut ops = Content::decode(&content).map_err(|e| format!("the pack's page cannot be read: {e}"))?.operations;
    let start = ops
        .iter()
        .position(|op| {
            op.operator == "BDC"
                && op
                    .operands
                    .get(1)
                    .and_then(|p| p.as_dict().ok())
                    .and_then(|d| d.get(b"MCID").ok())
                    .and_then(|m| m.as_i64().ok())
                    == Some(placeholder.mcid)
        })
        .ok_or("the placeholder's marked content is not on its page")?;
    let mut depth = 0usize;
    let mut end = None;
    let name = format!("Given{index}p{}", placeholder.page).into_bytes();
    let mut painted = false;
    for (i, op) in ops.iter_mut().enumerate().skip(start) {
        match op.operator.as_str() {
            "BDC" | "BMC" => depth += 1,
            "EMC" => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            "Do" if depth == 1 && !painted => {
                op.operands = vec![Object::Name(name.clone())];
                painted = true;
            }
            _ => {}
        }
    }
    end.ok_or("the placeholder's marked content does not end")?;
    if !painted {
        return Err("the placeholder's marked content paints nothing".into());
    }
    ops[start] = lopdf::content::Operation::new("BMC", vec![Object::Name(b"Span".to_vec())]);
    let encoded = Content { operations: ops }.encode().map_err(|e| e.to_string())?;
    let mut stream = Stream::new(Dictionary::new(), encoded);
    stream.compress().map_err(|e| e.to_string())?;
    let contents = doc.add_object(Object::Stream(stream));
    // The form by its name in the page's resources.
    let page = doc.get_dictionary(page_id).map_err(|e| e.to_string())?;
    let mut resources = match page.get(b"Resources") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).map_err(|e| e.to_string())?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => return Err("the pack's page has no resources".into()),
    };
    let mut xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).map_err(|e| e.to_string())?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    xobjects.set(name, Object::Reference(form));
    resources.set("XObject", Object::Dictionary(xobjects));
    let page = doc.get_dictionary_mut(page_id).map_err(|e| e.to_string())?;
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(contents));
    Ok(())
}

/// Removes `kid` from the structure element (or root) `parent`.
fn remove_kid(doc: &mut Document, parent: ObjectId, kid: ObjectId) -> Result<(), String> {
    let parent = doc.get_dictionary_mut(parent).map_err(|e| e.to_string())?;
    match parent.get_mut(b"K") {
        Ok(Object::Array(items)) => items.retain(|o| o.as_reference().ok() != Some(kid)),
        Ok(Object::Reference(id)) if *id == kid => {
            parent.remove(b"K");
        }
        _ => return Err("a placeholder is not among its parent's kids".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNTAGGED: &[u8] = include_bytes!("../../../content/papers/2026-07-board-minutes.pdf");

    #[test]
    fn an_untagged_pdf_is_not_grafted() {
        let doc = Document::load_mem(UNTAGGED).unwrap();
        let why = Graft::new(&doc, 0, &[]).err().expect("refused");
        assert!(why.contains("not tagged"), "{why}");
    }

    #[test]
    fn the_form_matrix_maps_the_page_onto_the_unit_square() {
        // A4 with a cropped origin: (x0, y0) to (x1, y1) onto (0, 0) to (1, 1).
        let (x0, y0, w, h) = (10.0, 20.0, 595.0, 842.0);
        let m = onto_unit_square(x0, y0, w, h);
        let map = |x: f64, y: f64| (m[0] * x + m[4], m[3] * y + m[5]);
        let near = |(a, b): (f64, f64), (c, d): (f64, f64)| (a - c).abs() < 1e-12 && (b - d).abs() < 1e-12;
        assert!(near(map(x0, y0), (0.0, 0.0)));
        assert!(near(map(x0 + w, y0 + h), (1.0, 1.0)));
    }
}
