//! `oversight import` of a 1,000-organisation workbook with 10,000 rows (1,000 organisations
//! and 9,000 segment periods, dates half as date cells and half as UK text, periods naming
//! their organisation by ODS code) into an empty site, timed as a person runs it: the whole
//! process, from reading the workbook to the last file renamed into place, with the check of
//! the resulting register. The figure is in docs/performance.md.

use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const ORGANISATIONS: usize = 1000;
const PERIODS_EACH: usize = 9;
const REGIONS: [&str; 7] =
    ["East of England", "London", "Midlands", "North East and Yorkshire", "North West", "South East", "South West"];

/// Writes the workbook: quarterly segment periods from July 2021, the last one open.
fn workbook(path: &Path) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let orgs = book.add_worksheet().set_name("Organisations").unwrap();
    for (c, h) in ["Name", "ODS code", "Type", "Region"].iter().enumerate() {
        orgs.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..ORGANISATIONS {
        let row = i as u32 + 1;
        orgs.write_string(row, 0, format!("Benchmark Hospitals {i} NHS Trust (fictional)")).unwrap();
        orgs.write_string(row, 1, format!("B{i:04}")).unwrap();
        orgs.write_string(row, 2, if i % 2 == 0 { "NHS trust" } else { "NHS foundation trust" }).unwrap();
        orgs.write_string(row, 3, REGIONS[i % REGIONS.len()]).unwrap();
    }
    let periods = book.add_worksheet().set_name("Segment periods").unwrap();
    for (c, h) in ["ODS code", "Segment", "From", "To"].iter().enumerate() {
        periods.write_string(0, c as u16, *h).unwrap();
    }
    let quarter = |q: usize| -> (u16, u8) { (2021 + ((q + 2) / 4) as u16, [1, 4, 7, 10][(q + 2) % 4]) };
    let mut row = 1;
    for i in 0..ORGANISATIONS {
        for q in 0..PERIODS_EACH {
            let (y, m) = quarter(q);
            periods.write_string(row, 0, format!("B{i:04}")).unwrap();
            periods.write_number(row, 1, (1 + (i + q) % 2) as f64).unwrap();
            if row % 2 == 0 {
                periods.write_datetime_with_format(row, 2, ExcelDateTime::from_ymd(y, m, 1).unwrap(), &date).unwrap();
            } else {
                periods.write_string(row, 2, format!("01/{m:02}/{y}")).unwrap();
            }
            if q + 1 < PERIODS_EACH {
                let (ny, nm) = quarter(q + 1);
                // The day before the next quarter starts.
                let (y, m, d) = match nm {
                    1 => (ny - 1, 12, 31),
                    4 => (ny, 3, 31),
                    7 => (ny, 6, 30),
                    _ => (ny, 9, 30),
                };
                periods.write_string(row, 3, format!("{d:02}/{m:02}/{y}")).unwrap();
            }
            row += 1;
        }
    }
    book.save(path).unwrap();
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("register.xlsx");
    workbook(&book);
    let mut run = 0;
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("1,000 organisations, 10,000 rows, into an empty site", |b| {
        b.iter(|| {
            run += 1;
            let site = dir.path().join(format!("site-{run}"));
            std::fs::create_dir(&site).unwrap();
            let out = Command::new(env!("CARGO_BIN_EXE_oversight"))
                .args(["import", book.to_str().unwrap(), "--site", site.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        });
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
