"""Property tests: every malformed scenario fails with one clean, located ScenarioError.

Each strategy starts from the valid fixture ``fixtures/full.yaml`` and breaks it in one
way (wrong type, negative count, probability out of range, unknown key, unknown ally,
broken prior, unknown base group, YAML syntax, unsafe tag, bad overlay path). Every
variant must raise :class:`ScenarioError` whose message is a single line
``FILE:LINE: ...`` naming the field path (or the YAML problem). Variants are loaded
in-process from text. ``EXAMPLES`` sums to well over 1,000 generated variants.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strait.errors import ScenarioError
from strait.scenario.loader import load_scenario_text
from strait.scenario.models import ALLIES, Actor

FIXTURES = Path(__file__).parent / "fixtures"
FULL_TEXT = (FIXTURES / "full.yaml").read_text(encoding="utf-8")
FULL: dict[str, Any] = yaml.safe_load(FULL_TEXT)
FILE = "variant.yaml"

EXAMPLES = {
    "wrong_type": 200,
    "negative_count": 120,
    "probability": 120,
    "unknown_key": 150,
    "unknown_ally": 60,
    "prior_sum": 60,
    "unknown_base": 100,
    "yaml_syntax": 120,
    "unsafe_tag": 100,
    "overlay_path": 120,
    "cli": 40,
}


def _settings(name: str) -> settings:
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# --------------------------------------------------------------------------- helpers

Path_ = tuple[Any, ...]


def _walk(obj: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    """Every (path, value) in ``obj``, containers included (list indices are ints)."""
    out = [(path, obj)]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _walk(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _walk(v, (*path, i))
    return out


def _dotted(path: Path_) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s


def _get(obj: Any, path: Path_) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def _set(obj: Any, path: Path_, value: Any) -> None:
    _get(obj, path[:-1])[path[-1]] = value


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=10_000)


ALL = _walk(FULL)
LEAVES = [(p, v) for p, v in ALL if not isinstance(v, dict | list) and p]
MAPPINGS = [p for p, v in ALL if isinstance(v, dict)]

COUNT_GLOBS = [
    "bases.*.distance_km", "bases.*.parking_capacity", "bases.*.hardened_shelters",
    "bases.*.runways", "bases.*.interceptors", "forces.*.aircraft.*.*", "forces.*.ships.*",
    "forces.*.lift.*", "forces.*.munitions.*", "forces.*.ground_battalions",
    "forces.*.reserve_battalions", "forces.*.shore_asm_launchers", "doctrine.prc.weights.*",
    "parameters.strikes.srbm_range_km",
]
PROB_GLOBS = [
    "allies.*.role.prior.*", "allies.*.escalation.#.probability",
    "allies.*.ladder.*.us_forces_released", "doctrine.prc.strike_ally_first_turn.*",
    "doctrine.prc.strike_ally_per_turn.*", "doctrine.usa.amphibious_priority",
    "parameters.strikes.launch_failure", "parameters.strikes.interceptor_pk",
    "parameters.lift.offload_efficiency", "parameters.ground.attrition_per_turn",
]


def _glob(path: Path_, pattern: str) -> bool:
    """Segment-wise match: '*' is any one key, '#' any list index."""
    pat = pattern.split(".")
    if len(pat) != len(path):
        return False
    for p, g in zip(path, pat, strict=True):
        if g == "#":
            if not isinstance(p, int):
                return False
        elif g != "*" and g != str(p):
            return False
        elif g == "*" and isinstance(p, int):
            return False
    return True


def _params_matching(globs: list[str]) -> list[Path_]:
    out = []
    for p, v in ALL:
        if not p or not (isinstance(v, int | float | dict) and not isinstance(v, bool)):
            continue
        if isinstance(v, dict) and "value" not in v and "dist" not in v:
            continue
        if any(_glob(p, g) for g in globs):
            out.append(p)
    return out


COUNTS = _params_matching(COUNT_GLOBS)
PROBS = _params_matching(PROB_GLOBS)
BASE_REFS: list[Path_] = [
    p for p, v in ALL
    if p and isinstance(p[-1], int) and len(p) >= 3 and p[-2] in ("combat", "noncombat")
] + [p for p, v in ALL if len(p) == 5 and p[0] == "forces" and p[2] == "aircraft"]
PRIOR = ("allies", "JPN", "role", "prior")


def _path_in_message(msg: str) -> str:
    m = re.match(r"^[^:]+:\d+: ([^:]+): ", msg)
    return m.group(1) if m else ""


def check(err: ScenarioError, text: str, path: str | None = None, *,
          file: str = FILE, contains: str | None = None) -> int:
    """The common contract; returns the reported line number."""
    msg = str(err)
    assert "\n" not in msg and "\r" not in msg, msg
    m = re.match(rf"^{re.escape(file)}:(\d+): ", msg)
    assert m, f"no '{file}:LINE:' prefix: {msg}"
    line = int(m.group(1))
    assert 1 <= line <= text.count("\n") + 1, msg
    assert "pydantic.dev" not in msg and "Value error," not in msg, msg
    assert "Traceback" not in msg, msg
    if path is not None:
        assert path in msg, f"{path!r} not named in: {msg}"
    if contains is not None:
        assert contains in msg, f"{contains!r} not in: {msg}"
    return line


def check_line_names_path(msg: str, text: str, line: int) -> None:
    """The reported line shows the last (or second-to-last) segment of the reported path."""
    shown = text.splitlines()[line - 1]
    segs = re.split(r"\.|(?=\[)", _path_in_message(msg))
    segs = [s for s in segs if s]
    assert segs, msg
    ok = any((s.startswith("[") and shown.lstrip().startswith("-")) or
             (not s.startswith("[") and s in shown) for s in segs[-2:])
    assert ok, f"line {line} ({shown!r}) does not show {segs[-2:]}: {msg}"


def expect_error(text: str, filename: str = FILE, **kw: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, filename=filename, **kw)
    return info.value


def test_fixture_is_valid_and_rich() -> None:
    s = load_scenario_text(FULL_TEXT, filename=FILE)
    assert len(s.allies["JPN"].ladder) == 7
    assert s.allies["JPN"].role.prior is not None
    assert COUNTS and PROBS and BASE_REFS and len(LEAVES) > 100
    assert sum(EXAMPLES.values()) >= 1000


# ------------------------------------------------------------------------ strategies

WRONG_FOR_STR = st.sampled_from([[1, 2], {"zz": 1}, ["a"]])
WRONG_FOR_NUM = st.sampled_from(["not-a-number", "12 km", [1, 2], {"zz_wrong": 1}])
WRONG_FOR_BOOL = st.sampled_from(["maybe-not", [True], {"zz": 1}, 2.5])


def _wrong_value(v: Any) -> st.SearchStrategy[Any]:
    if isinstance(v, bool):
        return WRONG_FOR_BOOL
    if isinstance(v, int | float):
        return WRONG_FOR_NUM
    return WRONG_FOR_STR


@st.composite
def wrong_type(draw: st.DrawFn) -> tuple[str, Path_]:
    path, old = draw(st.sampled_from(LEAVES))
    data = copy.deepcopy(FULL)
    _set(data, path, draw(_wrong_value(old)))
    return _dump(data), path


@given(wrong_type())
@_settings("wrong_type")
def test_wrong_type(case: tuple[str, Path_]) -> None:
    text, path = case
    err = expect_error(text)
    line = check(err, text, _dotted(path))
    check_line_names_path(str(err), text, line)


def _with_bound(v: Any, bound: float) -> Any:
    """Param ``v`` changed so that its support reaches ``bound``."""
    if not isinstance(v, dict):
        return bound
    v = dict(v)
    if "value" in v:
        v["value"] = bound
    elif bound < 0:
        v["low"] = bound
        if "mode" in v:
            v["mode"] = max(v["mode"], bound)
    else:
        v["high"] = bound
        if "low" not in v and v.get("dist") == "beta":
            v["low"] = 0
    return v


@given(st.sampled_from(COUNTS), st.one_of(st.integers(-10**6, -1),
                                          st.floats(-1e9, -1e-6, allow_nan=False)))
@_settings("negative_count")
def test_negative_count(path: Path_, bad: float) -> None:
    data = copy.deepcopy(FULL)
    _set(data, path, _with_bound(_get(data, path), bad))
    text = _dump(data)
    err = expect_error(text)
    line = check(err, text, _dotted(path))
    assert re.search(r">= 0|non-negative", str(err)), str(err)
    check_line_names_path(str(err), text, line)


@given(st.sampled_from(PROBS), st.one_of(st.floats(1.001, 1e6), st.floats(-1e6, -0.001)))
@_settings("probability")
def test_probability_out_of_range(path: Path_, bad: float) -> None:
    data = copy.deepcopy(FULL)
    _set(data, path, _with_bound(_get(data, path), bad))
    text = _dump(data)
    err = expect_error(text)
    line = check(err, text, _dotted(path), contains="[0, 1]")
    check_line_names_path(str(err), text, line)


KEYS = st.from_regex(r"zz_[a-z0-9_]{1,10}", fullmatch=True)


# None of these values is valid anywhere: not as a model key (unknown), nor as a new entry
# of a free-form mapping (a Param, BaseGroup, SourceEntry, ... is never {} / "x" / [1]).
@given(st.sampled_from(MAPPINGS), KEYS, st.sampled_from([{}, "x", [1]]))
@_settings("unknown_key")
def test_unknown_key(path: Path_, key: str, value: Any) -> None:
    data = copy.deepcopy(FULL)
    _get(data, path)[key] = value
    text = _dump(data)
    err = expect_error(text)
    line = check(err, text, _dotted((*path, key)))
    check_line_names_path(str(err), text, line)
    if _get(FULL, path) is FULL or path in (("campaign",), ("doctrine", "usa")):
        assert "unknown key" in str(err)


NOT_ALLIES = st.one_of(
    st.sampled_from([a.value for a in Actor if a not in ALLIES] + ["FRA", "GBR", "XYZ"]),
    st.from_regex(r"[A-Z]{2,4}", fullmatch=True).filter(lambda c: c not in Actor.__members__),
    st.sampled_from(["jpn", "Aus", "phl", "kor"]),
)


@given(st.sampled_from(["JPN", "PHL"]), NOT_ALLIES)
@_settings("unknown_ally")
def test_unknown_ally(old: str, new: str) -> None:
    data = copy.deepcopy(FULL)
    data["allies"] = {(new if k == old else k): v for k, v in data["allies"].items()}
    text = _dump(data)
    err = expect_error(text)
    line = check(err, text, f"allies.{new}", contains="ally code")
    check_line_names_path(str(err), text, line)


@given(st.sampled_from(list(FULL["allies"]["JPN"]["role"]["prior"])),
       st.floats(0, 1).filter(lambda x: abs(x - 0.1) > 1e-4 and abs(x - 0.4) > 1e-4))
@_settings("prior_sum")
def test_prior_sum(level: str, value: float) -> None:
    data = copy.deepcopy(FULL)
    prior = _get(data, PRIOR)
    if abs(prior[level] - value) < 1e-4:
        value = (value + 0.3) % 1.0
    prior[level] = value
    text = _dump(data)
    err = expect_error(text)
    line = check(err, text, "allies.JPN.role", contains="sum to 1")
    check_line_names_path(str(err), text, line)


BASE_NAMES = st.from_regex(r"[a-z][a-z_]{2,12}", fullmatch=True).filter(
    lambda b: b not in FULL["bases"])


@given(st.sampled_from(BASE_REFS), BASE_NAMES)
@_settings("unknown_base")
def test_unknown_base_group(path: Path_, name: str) -> None:
    data = copy.deepcopy(FULL)
    if isinstance(path[-1], int):  # a ladder's us_bases list
        _set(data, path, name)
        expected = path
    else:  # an aircraft placement key
        parent = _get(data, path[:-1])
        parent_new = {(name if k == path[-1] else k): v for k, v in parent.items()}
        _set(data, path[:-1], parent_new)
        expected = (*path[:-1], name)
    text = _dump(data)
    err = expect_error(text)
    line = check(err, text, _dotted(expected), contains=f"found '{name}'")
    check_line_names_path(str(err), text, line)


FULL_LINES = FULL_TEXT.splitlines()
INJECTIONS = ["zz: [unclosed", "zz: \"unterminated", "zz: @reserved", "zz: a: b",
              "zz: `backtick", "\tzz: 1", "zz: {a: 1"]


@given(st.integers(0, len(FULL_LINES)), st.sampled_from(INJECTIONS))
@_settings("yaml_syntax")
def test_yaml_syntax_error(at: int, injection: str) -> None:
    ref = FULL_LINES[at] if at < len(FULL_LINES) else ""
    indent = ref[: len(ref) - len(ref.lstrip(" "))]
    lines = [*FULL_LINES[:at], indent + injection, *FULL_LINES[at:]]
    text = "\n".join(lines) + "\n"
    err = expect_error(text)
    check(err, text, contains="YAML syntax")


TAGS = [
    "!!python/object/apply:os.system ['true']",
    "!!python/object/apply:builtins.exit [3]",
    "!!python/name:os.system",
    "!!python/object:collections.OrderedDict {}",
    "!!python/tuple [1, 2]",
    "!!python/module:os",
    "!!binary aGVsbG8=",
    "!!set {a: null}",
    "!!omap [{a: 1}]",
    "!!pairs [{a: 1}]",
    "!custom 3",
    "!<tag:example.com,2000:thing> x",
]


@given(st.sampled_from(LEAVES), st.sampled_from(TAGS))
@_settings("unsafe_tag")
def test_unsafe_tag(leaf: tuple[Path_, Any], tag: str) -> None:
    path, _ = leaf
    data = copy.deepcopy(FULL)
    _set(data, path, "ZZTAGZZ")
    text = _dump(data).replace("ZZTAGZZ", tag)
    err = expect_error(text)
    line = check(err, text, _dotted(path), contains="unsupported tag")
    assert tag.split()[0].split(":")[0] in str(err) or "tag:example.com" in str(err)
    check_line_names_path(str(err), text, line)


SEG = st.from_regex(r"zz[a-z]{1,6}", fullmatch=True)
OVERLAY = """name: overlay-x
title: An overlay with a bad path
extends: full.yaml
changes:
  {path}: {{zz_bad: 1}}
"""


@given(st.sampled_from(MAPPINGS), st.lists(SEG, min_size=1, max_size=3),
       st.integers(0, 3))
@_settings("overlay_path")
def test_overlay_bad_path(prefix: Path_, tail: list[str], typo_at: int) -> None:
    segs = [_dotted((p,)) if isinstance(p, int) else str(p) for p in prefix]
    if segs and typo_at < len(segs) and not segs[typo_at].startswith("["):
        segs[typo_at] = segs[typo_at] + "zq"  # a typo in an existing segment
    path = ".".join(segs + tail).replace(".[", "[")
    text = OVERLAY.format(path=path)
    err = expect_error(text, "overlay.yaml", base_dir=FIXTURES)
    check(err, text, path, file="overlay.yaml")
    assert str(err).startswith("overlay.yaml:5: "), str(err)


# ------------------------------------------------------------------------------ CLI


@pytest.fixture(scope="module")
def cli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


@given(case=wrong_type())
@_settings("cli")
def test_cli_validate_reports_one_line(cli_dir: Path, case: tuple[str, Path_]) -> None:
    from typer.testing import CliRunner

    from strait.cli import app

    text, path = case
    target = cli_dir / FILE
    target.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["scenario", "validate", str(target)])
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert "\n" not in err, err
    assert "Traceback" not in err
    m = re.search(rf"{re.escape(FILE)}:(\d+): ", err)
    assert m, err
    assert _dotted(path) in err, err
