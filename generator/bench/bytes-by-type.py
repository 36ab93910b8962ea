#!/usr/bin/env python3
"""Bytes and files of a built site by page type, and bytes per record.

    generator/bench/bytes-by-type.py OUTPUT_DIR RECORDS

Prints a Markdown table, biggest type first. The types follow the site's URL shapes
(see generator/src/render/urls.rs and plan.rs); anything unknown is "other".
"""
import os
import re
import sys

KINDS = "erfaringer|hindringer|prosjekter"
FACETS = "status|departement|nettverk|lov|fase|modenhet|losning"
TAXA = "kommuner|emneord|tjenesteomrader|losninger"
RULES = [
    (rf"^({KINDS})/register\.json$", "register.json (per kind)"),
    (rf"^({KINDS})/({FACETS})/[^/]+/(side/\d+/)?index\.html$", "register filter pages"),
    (rf"^({KINDS})/({FACETS})/", "register filter, other"),
    (rf"^({KINDS})/(side/\d+/)?index\.html$", "kind list pages"),
    (rf"^({KINDS})/atom\.xml$", "feeds (site, kind, network)"),
    (rf"^({KINDS})/[^/]+/index\.html$", "record pages"),
    (rf"^({KINDS})/[^/]+/atom\.xml$", "record feeds (atom.xml)"),
    (rf"^({KINDS})/[^/]+/[^/]+$", "record media"),
    (rf"^({TAXA})/(side/\d+/)?index\.html$", "taxonomy index pages"),
    (rf"^({TAXA})/[^/]+/(side/\d+/)?index\.html$", "taxonomy term pages"),
    (r"^nettverk/[^/]+/atom\.xml$", "feeds (site, kind, network)"),
    (r"^nettverk/", "network pages"),
    (r"^(nytt/)?atom\.xml$", "feeds (site, kind, network)"),
    (r"^nytt/", "nytt og endret"),
    (r"^data/", "open data (data/)"),
    (r"^sok/", "search (sok/)"),
    (r"^sitemap.*\.xml$", "sitemap"),
    (r"^statistikk/", "statistics"),
]


def kind_of(path):
    for pattern, name in RULES:
        if re.search(pattern, path):
            return name
    return "other"


def main():
    root, records = sys.argv[1], int(sys.argv[2])
    sizes, counts = {}, {}
    for folder, _, files in os.walk(root):
        for f in files:
            full = os.path.join(folder, f)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            k = kind_of(rel)
            sizes[k] = sizes.get(k, 0) + os.path.getsize(full)
            counts[k] = counts.get(k, 0) + 1
    total = sum(sizes.values())
    print(f"| page type ({records} records) | files | bytes | bytes per record | share |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for k in sorted(sizes, key=lambda k: -sizes[k]):
        print(f"| {k} | {counts[k]:,} | {sizes[k]:,} | {sizes[k] / records:,.0f} | {100 * sizes[k] / total:.1f} % |")
    print(f"| **total** | {sum(counts.values()):,} | {total:,} | {total / records:,.0f} | |")


main()
