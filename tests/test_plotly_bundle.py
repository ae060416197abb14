"""The small plotly.js bundle the chart pages load (static-src/, `npm run build:plotly`).

It is committed, so running the app needs no npm. These tests keep it honest: built from
the plotly.js of the Python plotly package (whose figures the chart tests validate), with
every trace type the charts draw, and byte for byte what the build gives.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import plotly.graph_objects as go
import pytest
from django.conf import settings
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

ROOT = Path(settings.BASE_DIR)
BUNDLE = ROOT / "static" / "vendor" / "plotly" / "plotly-samenspel.min.js"
ENTRY = ROOT / "static-src" / "plotly-samenspel.js"
BUILD = ROOT / "static-src" / "build-plotly.js"
PLOTLY_VERSION = get_plotlyjs_version()


def _header_version(text: str) -> str:
    found = re.search(r"^\* plotly\.js v(\S+)", text[:500], re.MULTILINE)
    assert found, "the bundle starts with plotly.js's header"
    return found[1]


def test_the_bundle_is_the_plotly_js_of_the_python_plotly_package():
    assert _header_version(BUNDLE.read_text()) == PLOTLY_VERSION


def test_package_json_and_its_lock_pin_the_plotly_js_of_the_python_plotly_package():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())

    assert package["devDependencies"]["plotly.js"] == PLOTLY_VERSION
    assert lock["packages"]["node_modules/plotly.js"]["version"] == PLOTLY_VERSION


def _trace_types_drawn() -> set[str]:
    # graph_objects loads its classes lazily: ask for each by name.
    classes = [getattr(go, name) for name in dir(go)]
    trace_types = {
        cls.__name__.lower()
        for cls in classes
        if isinstance(cls, type) and issubclass(cls, BaseTraceType) and cls is not BaseTraceType
    }
    named = set()
    for module in (ROOT / "assessment").rglob("*.py"):
        named |= set(re.findall(r"\"type\": \"(\w+)\"", module.read_text()))
    # Shapes ("rect") and axes ("category") have types too; only trace types need registering.
    return named & trace_types


def test_the_bundle_registers_every_trace_type_the_charts_draw():
    # plotly.js draws a trace of a type it lacks as nothing at all, without an error.
    registered = {"scatter"} | set(re.findall(r"plotly\.js/lib/(\w+)", ENTRY.read_text()))

    drawn = _trace_types_drawn()
    assert {"scatter", "scatterpolar", "bar"} <= drawn
    assert drawn <= registered, f"register {drawn - registered} in {ENTRY.name}"


def test_the_committed_bundle_is_what_the_build_produces(tmp_path):
    node = shutil.which("node")
    installed = (ROOT / "node_modules" / "esbuild").exists() and (
        ROOT / "node_modules" / "plotly.js"
    ).exists()
    if not (node and installed):
        message = "The bundle's build needs node and `npm ci` (make test runs it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    built = tmp_path / "plotly-samenspel.min.js"
    subprocess.run([node, str(BUILD), str(built)], check=True, cwd=ROOT, timeout=120)

    assert built.read_bytes() == BUNDLE.read_bytes(), "run `npm run build:plotly` and commit"


def test_the_bundle_is_a_quarter_of_the_full_plotly_js():
    full = Path(go.__file__).parent.parent / "package_data" / "plotly.min.js"

    assert BUNDLE.stat().st_size < full.stat().st_size / 3
