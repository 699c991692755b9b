"""The MOSES molecules (about 1.9 million drug-like SMILES) from the `molsets` package's data.

Only the data file is taken: `pip download --no-deps molsets` fetches the wheel,
and `moses/dataset/data/train.csv.gz` is copied out of it into a cache under
var/ (git-ignored). molsets' own dependencies are never installed. Origin: MOSES,
Polykovskiy et al., Front. Pharmacol. 2020, https://github.com/molecularsets/moses (MIT).
"""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "cache" / "moses"
MEMBER = "moses/dataset/data/train.csv.gz"
PACKAGE = "molsets==0.3.1"


def data_file() -> Path:
    """The cached train.csv.gz, downloaded from the package registry on first use."""
    target = CACHE / "train.csv.gz"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="molsets-") as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                tmp,
                "--quiet",
                PACKAGE,
            ],
            check=True,
        )
        (wheel,) = Path(tmp).glob("molsets-*.whl")
        with zipfile.ZipFile(wheel) as zf:
            partial = target.with_suffix(".part")
            partial.write_bytes(zf.read(MEMBER))
            partial.replace(target)
    return target


def smiles(n: int) -> list[str]:
    """The first `n` SMILES of the MOSES training set, in file order."""
    out: list[str] = []
    with gzip.open(data_file(), "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="ascii")):
            out.append(row["SMILES"])
            if len(out) >= n:
                break
    return out
