#!/usr/bin/env python3
"""Runs pdfua (https://pypi.org/project/pdfua/), a checker of the machine-checkable part of
PDF/UA-1 that oversight's authors did not write, over every PDF of an example build.

    check.py SITE PDF_OR_FOLDER...

SITE is the site folder (whose content/papers/ holds the papers written elsewhere). Every PDF
under the folders given is checked; none may have an ERROR. Beyond that:

- A PDF that claims PDF/UA-1 (pdfuaid:part 1 in its XMP), as every paper oversight typesets,
  every pack that places no given PDF and every pack whose given PDFs are tagged (grafted in
  with their structure) does, may have no finding at all.
- A pack that places an untagged paper written elsewhere claims no standard (its pages are
  placed through Typst, which keeps no tags of theirs): its one allowed finding is UA-28-004,
  which says exactly that.
- A PDF published as it was given (the same bytes as content/papers/<id>.pdf) is the author's,
  not oversight's: its findings are printed, not counted. `oversight build` notes an untagged
  one and the accessibility statement lists it.

Rules pdfua could not evaluate on a file (it reports them as skipped) are printed, so a
checker fault is seen rather than taken for a pass. Exit status 0 when every PDF passes,
1 otherwise. The last line says how many passed and failed.
"""

import json
import pathlib
import subprocess
import sys

NOT_CLAIMED = "UA-28-004"


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    site = pathlib.Path(argv[1])
    given = {p.read_bytes() for p in (site / "content" / "papers").glob("*.pdf")}
    files = []
    for arg in argv[2:]:
        path = pathlib.Path(arg)
        files.extend(sorted(path.rglob("*.pdf")) if path.is_dir() else [path])
    if not files:
        print("pdfua: no PDF to check", file=sys.stderr)
        return 1
    passed = failed = 0
    for pdf in files:
        data = pdf.read_bytes()
        run = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf)], capture_output=True, text=True)
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError:
            print(f"FAIL {pdf}: pdfua gave no report (exit {run.returncode}): {run.stderr.strip()}")
            failed += 1
            continue
        findings = report.get("findings", [])
        claims = b"pdfuaid:part>1<" in data or b'pdfuaid:part="1"' in data
        if data in given:
            kind, allowed = "given as it was, not counted", None
        elif claims:
            kind, allowed = "claims PDF/UA-1", set()
        else:
            kind, allowed = "claims no standard", {NOT_CLAIMED}
        bad = [] if allowed is None else [f for f in findings if f["severity"] == "error" or f["rule_id"] not in allowed]
        if allowed is None:
            print(f"note {pdf} ({kind}): {len(findings)} finding(s)")
        elif bad:
            failed += 1
            print(f"FAIL {pdf} ({kind})")
        else:
            passed += 1
            print(f"ok   {pdf} ({kind}): {len(findings)} finding(s) allowed")
        for f in findings:
            mark = "  !!" if f in bad else "    "
            print(f"{mark} [{f['severity']}] {f['rule_id']}: {f['message']}")
        for s in report.get("skipped", []):
            print(f"     skipped by pdfua: {s['rule_id']}: {s['reason']}")
    print(f"pdfua: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
