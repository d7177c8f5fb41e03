"""Mends the single-file docs site (`dbt docs generate --static`) so that it opens from disk
without a console error (``make docs-static`` runs it).

dbt-docs' page, opened from a file, asks the browser for two addresses that do not exist:
two icons whose address is an Angular expression (`xlink:href="{{ getIcon(...) }}"`,
requested literally before Angular fills it in; Angular's `ng-attr-` prefix sets the
attribute only once it is filled in) and a favicon whose address is an unevaluated
JavaScript template (`${require(...)}`). Each mend must find its text: a dbt-docs release
that changed the page fails here rather than leaving the page half mended. (Usage tracking,
a script fetched from a CDN, is off because make docs-static generates the site with
DBT_SEND_ANONYMOUS_USAGE_STATS=false: the page loads it only when the manifest says so.)

Usage: ``python -m customer_value.docs_static target/static_index.html``
"""

from __future__ import annotations

import sys
from pathlib import Path

# (what dbt-docs writes, what it should write, how many times it occurs)
MENDS = [
    ('<use xlink:href="{{ getIcon(', '<use ng-attr-xlink:href="{{ getIcon(', 4),
    ('<link rel="shortcut icon" href="${require(\'./assets/favicons/favicon.ico\')}"/>', "", 1),
]


def mend(page: Path) -> None:
    """Apply MENDS to PAGE in place; ValueError when a mend does not find its text as often as
    expected."""
    text = page.read_text(encoding="utf-8")
    for broken, mended, count in MENDS:
        found = text.count(broken)
        if found != count:
            raise ValueError(f"{page}: expected {count} occurrence(s) of {broken!r} from dbt-docs, found {found}")
        text = text.replace(broken, mended)
    page.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    mend(Path(argv[0]))
    print(f"mended {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
