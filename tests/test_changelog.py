"""The data changelog: every data file's newest entry carries the file's present hash, so no change goes unrecorded."""

from __future__ import annotations

import csv

from oilroutes import changelog
from oilroutes.validate import load_descriptor


def _append(path, **row):
    with open(path, newline="", encoding="utf-8") as fh:
        header = csv.DictReader(fh).fieldnames
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerow({k: row.get(k, "") for k in header})


def test_every_data_file_matches_its_newest_changelog_entry():
    assert changelog.problems() == []


def test_every_data_file_has_an_entry():
    logged = {r["resource"] for r in changelog.read()}
    assert set(changelog.tracked_files()) <= logged


def test_a_file_changed_without_an_entry_is_caught_and_an_entry_clears_it(data_copy):
    with open(data_copy / "tariffs.csv", "a", encoding="utf-8") as fh:
        fh.write("x_test,CPC,1,1,USD/t,Test,2020,expert2006cpc,\n")
    found = changelog.problems(data_copy)
    assert len(found) == 1 and "tariffs.csv changed after its last changelog.csv entry" in found[0]
    _append(
        data_copy / "changelog.csv",
        date="2099-01-01",
        version="9.9.9",
        resource="tariffs",
        change="added",
        description="A test row.",
        reason="Testing the changelog check.",
    )
    assert any("no sha256" in p for p in changelog.problems(data_copy))
    assert changelog.stamp(data_copy) == 1
    assert changelog.problems(data_copy) == []


def test_stamp_never_rewrites_an_old_entry(data_copy):
    before = changelog.read(data_copy)
    with open(data_copy / "buyers.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert changelog.stamp(data_copy) == 0
    assert changelog.read(data_copy) == before
    assert any("buyers.csv changed" in p for p in changelog.problems(data_copy))


def test_a_new_data_file_without_an_entry_is_caught(data_copy):
    rows = [r for r in changelog.read(data_copy) if r["resource"] != "refining"]
    with open(data_copy / "changelog.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert any(p.startswith("refining.csv has no entry") for p in changelog.problems(data_copy))


def test_descriptor_version_and_date_are_the_newest_entry():
    rows = changelog.read()
    newest = max(r["date"] for r in rows)
    descriptor = load_descriptor()
    versions = {r["version"] for r in rows if r["date"] == newest}
    assert descriptor["version"] in versions
    assert str(descriptor["created"])[:10] == newest
    assert max(tuple(int(x) for x in r["version"].split(".")) for r in rows) == tuple(
        int(x) for x in descriptor["version"].split(".")
    )


def test_whats_new_page_lists_every_entry_under_its_date():
    text = changelog.page().data
    rows = changelog.read()
    assert text.count("\n| ") - text.count("\n| file |") == len(rows)
    for date in {r["date"] for r in rows}:
        assert f"## {date}" in text
    assert load_descriptor()["version"] in text.splitlines()[0]
