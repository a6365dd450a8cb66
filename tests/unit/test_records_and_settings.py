"""Failure records (format, atomic save, bad input), settings and CLI errors, the public API."""

import json

import pytest

import ciro_fuzz
from ciro_fuzz.cli import main
from ciro_fuzz.errors import ConfigError, RecordError
from ciro_fuzz.model.ops import Action, AdvanceTime, Batch, ClaimItem
from ciro_fuzz.model.roles import Role
from ciro_fuzz.records.format import Failure, FailureRecord, load, save
from ciro_fuzz.settings import profile


def _record():
    steps = (Batch(Role.OWNER, "ClaimItem", (ClaimItem(1), ClaimItem(1))), Action(Role.ADMIN, "adjust_network_reputation", (-5,)), AdvanceTime(10))
    return FailureRecord(steps=steps, failure=Failure("equivalence", "boom", 0), seed=3)


def test_record_round_trips(tmp_path):
    record = _record()
    path = save(record, tmp_path)
    loaded = load(path)
    assert loaded.steps == record.steps and loaded.failure == record.failure and loaded.seed == 3
    assert loaded.id == record.id


def test_version_1_records_still_load(tmp_path):
    data = _record().to_json()
    data["version"] = 1
    data["oracle"], data["message"] = data["failure"]["oracle"], data["failure"]["message"]
    del data["failure"], data["mutant"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    assert load(path).failure.oracle == "equivalence"


@pytest.mark.parametrize("mangle, words", [
    (lambda text: text[: len(text) // 2], "not valid JSON"),
    (lambda text: text.replace('"version": 2', '"version": 99'), "version 99"),
    (lambda text: text.replace('"ClaimItem"', '"Nope"'), "malformed"),
    (lambda text: json.dumps({"hello": 1}), "not a ciro-fuzz failure record"),
])
def test_broken_records_get_one_line_errors(tmp_path, mangle, words):
    path = save(_record(), tmp_path)
    path.write_text(mangle(path.read_text()))
    with pytest.raises(RecordError) as err:
        load(path)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_missing_record_is_named(tmp_path):
    with pytest.raises(RecordError, match="does not exist"):
        load(tmp_path / "nope.json")


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    save(_record(), tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_profiles_are_frozen_and_validated():
    settings = profile("ci", seed=4)
    assert settings.seed == 4
    with pytest.raises(Exception):
        settings.seed = 5  # frozen
    with pytest.raises(ConfigError, match="unknown profile"):
        profile("fast")
    with pytest.raises(ConfigError, match="workers"):
        profile("ci", workers=0)


@pytest.mark.parametrize("argv, words", [
    (["run", "--profile", "warp"], "invalid choice"),
    (["run", "--workers", "x"], "invalid int"),
    (["frobnicate"], "invalid choice"),
    (["report", "/nonexistent/folder"], "does not exist"),
    (["replay", "/nonexistent/record.json"], "does not exist"),
    (["build", "--mutant", "no_such_mutant"], "unknown mutant"),
])
def test_cli_bad_input_is_one_line_and_nonzero(capsys, argv, words):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code != 0 and words in err and len(err.splitlines()) == 1


def test_public_api_is_exactly_the_export_list():
    public = {name for name in dir(ciro_fuzz) if not name.startswith("_")}
    modules = {"errors", "settings", "toolchain", "build", "chain", "model", "records", "engine", "oracles", "report", "cli", "sdk", "bench", "pytest_plugin"}
    assert public - modules == set(ciro_fuzz.__all__)
