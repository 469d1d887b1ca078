"""The data changelog: every change to a data file, dated, with its reason, checked against the files.

``data/changelog.csv`` has one row per change to one resource. Each row records
the SHA-256 of the resource's file as it stood after the change, so a test can
tell when a file has changed since its last entry: the newest entry of every
file must carry the file's present hash. After editing data, add a row (date,
version, resource, change, description, reason; ``sha256`` left empty) and run

    python -m oilroutes.changelog stamp

which fills in the empty hashes, and only those: it never re-stamps an old entry.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from .paths import data_dir
from .validate import load_descriptor

CHANGELOG = "changelog.csv"
#: The descriptor is tracked under this name; every other file under its resource name.
DESCRIPTOR = "datapackage"
CHANGE_WORDS = {"added": "Added", "corrected": "Corrected", "removed": "Removed", "changed": "Changed"}


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, with line endings normalised so a checkout on Windows hashes the same."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def tracked_files(directory: Path | None = None) -> dict[str, Path]:
    """Every data file the changelog must account for, by resource name (the changelog itself excepted)."""
    directory = data_dir() if directory is None else directory
    out = {DESCRIPTOR: directory / "datapackage.json"}
    for res in load_descriptor(directory)["resources"]:
        if res["path"] != CHANGELOG:
            out[res["name"]] = directory / res["path"]
    return out


def read(directory: Path | None = None) -> list[dict]:
    directory = data_dir() if directory is None else directory
    with open(directory / CHANGELOG, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def problems(directory: Path | None = None) -> list[str]:
    """Why the changelog and the data disagree; empty when every file's newest entry carries its present hash."""
    directory = data_dir() if directory is None else directory
    rows = read(directory)
    files = tracked_files(directory)
    out = []
    for i, row in enumerate(rows, start=2):
        if row["resource"] not in files:
            out.append(
                f"{CHANGELOG} line {i}: '{row['resource']}' is not a data file (resource name or '{DESCRIPTOR}')"
            )
        if not row.get("sha256"):
            out.append(f"{CHANGELOG} line {i}: no sha256: run `python -m oilroutes.changelog stamp`")
    latest: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: r["date"]):  # stable: the last row of the newest date wins
        latest[row["resource"]] = row
    for name, path in files.items():
        if name not in latest:
            out.append(f"{path.name} has no entry in {CHANGELOG}: add one saying what it holds and why")
        elif latest[name].get("sha256") and latest[name]["sha256"] != file_hash(path):
            out.append(
                f"{path.name} changed after its last {CHANGELOG} entry ({latest[name]['date']}: "
                f"{latest[name]['description']}): add an entry for the change and run "
                "`python -m oilroutes.changelog stamp`"
            )
    return out


def stamp(directory: Path | None = None) -> int:
    """Fill in the hash of every entry that has none; returns how many were stamped."""
    directory = data_dir() if directory is None else directory
    path = directory / CHANGELOG
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    files = tracked_files(directory)
    n = 0
    for row in rows:
        if not row["sha256"] and row["resource"] in files:
            row["sha256"] = file_hash(files[row["resource"]])
            n += 1
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return n


def _text(value) -> str:
    from .appendix import _text as inert

    return inert(value)


def page() -> Markdown:
    """The "What's new" page: the package's version and date, then every change, newest first, by date and version."""
    descriptor = load_descriptor()
    df = pd.DataFrame(read())
    df["_v"] = [tuple(int(x) for x in v.split(".")) for v in df["version"]]
    df = df.sort_values(["date", "_v"], ascending=False, kind="stable")
    titles = {r["name"]: r.get("title", r["name"]) for r in descriptor["resources"]}
    titles[DESCRIPTOR] = "Data package descriptor"
    lines = [
        f"**Data package version {_text(descriptor['version'])}**, dated "
        f"{_text(str(descriptor.get('created', ''))[:10])}. {len(df)} recorded changes to "
        f"{df['resource'].nunique()} files.",
        "",
    ]
    for (date, version), group in df.groupby(["date", "version"], sort=False):
        lines += [
            f"## {_text(date)} (version {_text(version)})",
            "",
            "| file | change | what | why |",
            "|---|---|---|---|",
        ]
        for r in group.itertuples():
            lines.append(
                f"| {_text(titles.get(r.resource, r.resource))} (`{r.resource}`) | "
                f"{CHANGE_WORDS.get(r.change, _text(r.change))} | {_text(r.description)} | {_text(r.reason)} |"
            )
        lines.append("")
    return Markdown("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:] == ["stamp"]:
        print(f"stamped {stamp()} entr(y/ies)")
    elif sys.argv[1:] == ["check"]:
        found = problems()
        print("\n".join(found) or "changelog matches the data")
        sys.exit(1 if found else 0)
    else:
        sys.exit("usage: python -m oilroutes.changelog stamp|check")
