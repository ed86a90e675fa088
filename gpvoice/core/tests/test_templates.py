"""Templates get decisions, not roles: no page template compares a role or asks for officers."""

import re
from pathlib import Path

import gpvoice

ROLE_CHECK = re.compile(r"membership\.(role|is_officer)|\brole\s*(==|!=|in)\s|\bis_officer\b")


def test_no_template_compares_roles():
    root = Path(gpvoice.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("jinja2/**/*"))
        if path.suffix in {".jinja", ".html"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLE_CHECK.search(line)
    ]
    assert offenders == [], "pass can_… flags from a presenter instead"
