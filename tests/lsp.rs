//! `oversight lsp` driven from outside, as an editor drives it: the release binary over stdio
//! on a copy of the example register. An unsaved mistake gets a located diagnostic with its
//! rule code, fixing it clears it, a record's dependants are diagnosed again, and hover,
//! definition, completion, document links and the quick fix answer; bad input and random
//! edits never stop it.

mod common;

use std::path::Path;

use common::lsp::{Client, position_of, uri};
use serde_json::{Value, json};

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_oversight"))
}

/// A server on a copy of the example register, started in a folder inside it (it walks up to
/// the folder holding `content/`).
fn start() -> (tempfile::TempDir, Client) {
    let site = common::example_copy();
    let mut client = Client::start(binary(), &site.path().join("content/support"));
    let response = client.initialize(&site.path().join("content/support"));
    assert!(response["result"]["capabilities"]["hoverProvider"].as_bool().unwrap_or(false), "{response}");
    (site, client)
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

fn hover_text(response: &Value) -> String {
    response["result"]["contents"]["value"].as_str().unwrap_or_default().to_string()
}

#[test]
fn an_unsaved_mistake_is_diagnosed_fixed_and_its_dependants_follow() {
    let (site, mut client) = start();
    let org_path = site.path().join("content/organisations/ashmere-partnership.yaml");
    let org = uri(&org_path);
    let saved = std::fs::read_to_string(&org_path).unwrap();

    // A typo in the buffer, not on disk.
    let typo = saved.replacen("region: london", "region: londn", 1);
    client.open(&org, &typo);
    let diagnostics = client.diagnostics(&org);
    assert_eq!(codes(&diagnostics), ["OVS003"], "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "oversight");
    assert_eq!(d["range"]["start"], position_of(&typo, "londn", 0));
    assert_eq!(d["range"]["end"], position_of(&typo, "londn", 5));
    assert!(d["message"].as_str().unwrap().contains("help: did you mean `london`?"), "{d}");
    assert_eq!(d["data"]["name"], "invalid-value");
    assert_eq!(std::fs::read_to_string(&org_path).unwrap(), saved, "the disk is not touched");

    // Hover on the diagnostic: the rule's explanation.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": org }, "position": position_of(&typo, "londn", 2) }),
    );
    assert!(hover_text(&hover).contains("OVS003 invalid-value"), "{hover}");

    // The quick fix from the suggestion.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": org }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Change to `london`", "{actions}");
    let edit = &action["edit"]["changes"][&org][0];
    assert_eq!(edit["newText"], "london");
    assert_eq!(edit["range"], d["range"]);

    // Fixed in the buffer: the file's diagnostics are cleared.
    client.change(&org, 2, &saved);
    assert_eq!(client.diagnostics(&org), Vec::<Value>::new());

    // A new id, unsaved: the support package naming the old one (not open) is diagnosed.
    let support = uri(&site.path().join("content/support/ashmere-workforce.yaml"));
    client.change(&org, 3, &format!("id: ashmere-renamed\n{saved}"));
    let dependant = client.diagnostics(&support);
    assert!(codes(&dependant).contains(&"OVS501"), "{dependant:?}");
    // And cleared when the id is back.
    client.change(&org, 4, &saved);
    assert_eq!(client.diagnostics(&support), Vec::<Value>::new());

    assert!(client.shutdown().success());
}

#[test]
fn hover_definition_completion_and_links_answer() {
    let (site, mut client) = start();
    // A new support package, not yet saved, naming an organisation and a rule.
    let package = uri(&site.path().join("content/support/new-package.yaml"));
    let text = "# see OVS101\norganisation: ashmere-partnership\nkind: workforce\ntitle: New\nprovider: NHS England\nstart: 2025-05-12\nstatus: active\n";
    client.open(&package, text);

    let hover = |client: &mut Client, needle: &str| {
        hover_text(&client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": package }, "position": position_of(text, needle, 1) }),
        ))
    };
    let rule = hover(&mut client, "OVS101");
    assert!(rule.contains("OVS101 segment-out-of-range") && rule.contains("Source:"), "{rule}");
    let org = hover(&mut client, "ashmere-partnership");
    assert!(org.contains("Ashmere Partnership NHS Foundation Trust (fictional)"), "{org}");
    assert!(org.contains("NHS foundation trust") && org.contains("London") && org.contains("Segment"), "{org}");
    let key = hover(&mut client, "status:");
    assert!(key.contains("`status`") && key.contains("Allowed values"), "{key}");

    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": package }, "position": position_of(text, "ashmere-partnership", 3) }),
    );
    let target = definition["result"]["uri"].as_str().unwrap_or_default();
    assert!(target.ends_with("content/organisations/ashmere-partnership.yaml"), "{definition}");

    // Completion in `organisation:` offers the ids.
    let typing = "organisation: ash";
    client.change(&package, 2, typing);
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": package }, "position": { "line": 0, "character": typing.len() } }),
    );
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"ashmere-partnership") && labels.contains(&"greywater-care"), "{labels:?}");
    let item = completion["result"].as_array().unwrap().iter().find(|i| i["label"] == "ashmere-partnership").unwrap();
    assert_eq!(item["textEdit"]["range"]["start"], json!({ "line": 0, "character": 14 }));

    // Enum values: a region.
    let org = uri(&site.path().join("content/organisations/ashmere-partnership.yaml"));
    let org_text = "name: X\ntype: icb\nregion: \n";
    client.open(&org, org_text);
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": org }, "position": { "line": 2, "character": 8 } }),
    );
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"north-west") && labels.contains(&"london"), "{labels:?}");

    // `@/` links in a page: completion of the folders and ids, and document links.
    let page = uri(&site.path().join("content/pages/new.md"));
    let page_text =
        "---\ntitle: New\ndate: 2026-01-01\n---\nSee @/organisations/ashmere-partnership and @/organisations/";
    client.open(&page, page_text);
    let end = position_of(page_text, "and @/organisations/", "and @/organisations/".len());
    let completion =
        client.request("textDocument/completion", json!({ "textDocument": { "uri": page }, "position": end }));
    let labels: Vec<&str> =
        completion["result"].as_array().unwrap().iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"kestrel-bay-university-hospitals"), "{labels:?}");
    let links = client.request("textDocument/documentLink", json!({ "textDocument": { "uri": page } }));
    let link = &links["result"][0];
    assert!(link["target"].as_str().unwrap().ends_with("organisations/ashmere-partnership.yaml"), "{links}");
    assert_eq!(link["range"]["start"], position_of(page_text, "@/organisations/ashmere", 0));

    // A figure's definition is its row in the built-in documentation's table of figures.
    let figure_text = "---\ntitle: Figures\ndate: 2026-01-01\n---\n{{ median_days }} days.\n";
    client.change(&page, 2, figure_text);
    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": page }, "position": position_of(figure_text, "median_days", 2) }),
    );
    let target = definition["result"]["uri"].as_str().unwrap_or_default();
    assert!(target.ends_with(".oversight-cache/docs/blocks.md"), "{definition}");
    let written = std::fs::read_to_string(site.path().join(".oversight-cache/docs/blocks.md")).unwrap();
    let line = definition["result"]["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(written.lines().nth(line).unwrap().starts_with("| `median_days` |"), "{definition}");

    // Inside a generated block: the options its kind takes, then the values of one.
    let labels_at = |client: &mut Client, version: i32, text: &str| -> Vec<String> {
        client.change(&page, version, text);
        let end = position_of(text, text.lines().last().unwrap(), text.lines().last().unwrap().len());
        let completion =
            client.request("textDocument/completion", json!({ "textDocument": { "uri": page }, "position": end }));
        completion["result"].as_array().unwrap().iter().filter_map(|i| i["label"].as_str().map(String::from)).collect()
    };
    let options = labels_at(&mut client, 3, "---\ntitle: X\ndate: 2026-01-01\n---\n```timeline\nor");
    assert!(options.iter().any(|l| l == "order") && options.iter().any(|l| l == "caption"), "{options:?}");
    assert!(!options.iter().any(|l| l == "show"), "a register's option: {options:?}");
    let values = labels_at(&mut client, 4, "---\ntitle: X\ndate: 2026-01-01\n---\n```timeline\norder: ");
    assert_eq!(values, ["entry", "region", "type"]);
    let ids = labels_at(&mut client, 5, "---\ntitle: X\ndate: 2026-01-01\n---\n```exit-criteria\norganisation: ");
    assert!(ids.iter().any(|l| l == "greywater-care"), "{ids:?}");

    assert!(client.shutdown().success());
}

#[test]
fn bad_input_gets_an_error_or_an_empty_answer_and_the_server_goes_on() {
    let (site, mut client) = start();
    // Not JSON, then a request with parameters of the wrong shape, then an unknown method.
    client.send_raw(b"{ this is not json");
    let bad = client.request("textDocument/hover", json!({ "textDocument": 42 }));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let unknown = client.request("oversight/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // A binary file, unparseable YAML and a document outside the register.
    let org = uri(&site.path().join("content/organisations/ashmere-partnership.yaml"));
    client.open(&org, "name: [unclosed\n\u{0}\u{1}:::\n");
    let diagnostics = client.diagnostics(&org);
    assert!(!diagnostics.is_empty());
    let outside = format!("file://{}/elsewhere.yaml", std::env::temp_dir().display());
    client.open(&outside, "x: 1");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": outside }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(hover["result"], Value::Null, "{hover}");

    // Random edits, some far out of range, with requests between them.
    let mut rng = fastrand::Rng::with_seed(28);
    let pieces =
        ["", "a", "—", "𝄞", "\n", "  - ", "organisation: ", "@/", "{{ ", "```", ":", "\"", "\r\n", "region: x"];
    for version in 2..302 {
        let at = |rng: &mut fastrand::Rng| json!({ "line": rng.u32(0..12), "character": rng.u32(0..40) });
        let (start, end) = (at(&mut rng), at(&mut rng));
        let text = pieces[rng.usize(..pieces.len())];
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": org, "version": version },
                    "contentChanges": [{ "range": { "start": start, "end": end }, "text": text }] }),
        );
        let method = ["textDocument/hover", "textDocument/completion", "textDocument/definition"][rng.usize(..3)];
        let position = at(&mut rng);
        let answer = client.request(method, json!({ "textDocument": { "uri": org }, "position": position }));
        assert!(answer.get("error").is_none(), "{method} at {position}: {answer}");
    }
    let links = client.request("textDocument/documentLink", json!({ "textDocument": { "uri": org } }));
    assert!(links.get("error").is_none(), "{links}");
    assert!(client.shutdown().success());
}

#[test]
fn a_folder_with_no_register_gets_empty_answers() {
    let empty = tempfile::tempdir().unwrap();
    let mut client = Client::start(binary(), empty.path());
    let response = client.initialize(empty.path());
    assert!(response.get("result").is_some(), "{response}");
    let doc = uri(&empty.path().join("notes.yaml"));
    client.open(&doc, "organisation: x\n");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": doc }, "position": { "line": 0, "character": 16 } }),
    );
    assert_eq!(hover["result"], Value::Null);
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": doc }, "position": { "line": 0, "character": 16 } }),
    );
    assert!(completion.get("error").is_none(), "{completion}");
    assert!(client.shutdown().success());
}

#[test]
fn a_missing_key_is_added_by_a_quick_fix() {
    let (site, mut client) = start();
    let org_path = site.path().join("content/organisations/ashmere-partnership.yaml");
    let org = uri(&org_path);
    let saved = std::fs::read_to_string(&org_path).unwrap();
    let name_line = saved.lines().find(|l| l.starts_with("name:")).unwrap();
    let without = saved.replacen(&format!("{name_line}\n"), "", 1);
    client.open(&org, &without);
    let diagnostics = client.diagnostics(&org);
    let d = diagnostics.iter().find(|d| d["message"].as_str().unwrap().starts_with("missing field `name`")).unwrap();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": org }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["title"], "Add `name:`", "{actions}");
    let edit = &action["edit"]["changes"][&org][0];
    assert_eq!(edit["newText"], "name: \n");
    // On a line of its own, before the first key.
    assert_eq!(edit["range"]["start"]["character"], 0);
    let line = edit["range"]["start"]["line"].as_u64().unwrap() as usize;
    let first_key = without.lines().position(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap();
    assert_eq!(line, first_key, "{edit}");
    assert!(client.shutdown().success());
}
