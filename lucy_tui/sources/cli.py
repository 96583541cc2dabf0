"""``lucy ipo --html FILE [--kind schedule|detail|listings] --json``: parse a saved 38.co.kr page.

For users whose scheduled refresh reports a changed page (save the page from the browser and see
what Lucy reads from it), and for tests. The file may be the site's EUC-KR/cp949 bytes or UTF-8
(a browser's "save as"); the kind is guessed from the tables in it when not given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KINDS = ("schedule", "detail", "listings")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--html", type=Path, metavar="FILE", required=True,
                        help="a saved 38.co.kr page (o=k schedule, o=v detail or o=nw listings)")
    parser.add_argument("--kind", choices=KINDS,
                        help="which page it is (default: guessed from its tables)")
    parser.add_argument("--json", action="store_true",
                        help="print the records as JSON (the default prints one line per record)")


def read_page(path: Path) -> str:
    """The page's text: UTF-8 when it decodes as such, else cp949 as the site sends it."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from .ipo38 import decode

        return decode(data)


def guess_kind(text: str) -> str | None:
    from . import ipo38

    for kind, marker in (("schedule", ipo38.SCHEDULE_TABLE), ("listings", ipo38.LISTINGS_TABLE),
                         ("detail", "공모청약일정")):
        if f'summary="{marker}"' in text or f"summary='{marker}'" in text \
                or f"summary={marker}" in text:
            return kind
    return None


def run(args: argparse.Namespace) -> int:
    from . import ipo38
    from .models import to_json

    try:
        text = read_page(args.html)
    except OSError as exc:
        print(f"lucy ipo: cannot read {args.html}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    kind = args.kind or guess_kind(text)
    if kind is None:
        print(f"lucy ipo: {args.html}: no 38.co.kr table found (looked for "
              f"'{ipo38.SCHEDULE_TABLE}', '{ipo38.LISTINGS_TABLE}', '공모청약일정'); "
              "pass --kind if the page is one of them", file=sys.stderr)
        return 1
    try:
        records = ipo38.parse(kind, text)
    except ipo38.MarkupChanged as exc:
        print(f"lucy ipo: {args.html}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"kind": kind, "records": to_json(records)}, ensure_ascii=False, indent=1))
    else:
        for record in records:
            data = to_json(record)
            data.pop("raw", None)
            print("  ".join(f"{k}={v}" for k, v in data.items() if v not in (None, [], "")))
    return 0
