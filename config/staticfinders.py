"""Serve plotly.js from the plotly wheel, so its version always matches the Python package."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
PLOTLY_PREFIX = "vendor/plotly"
PLOTLY_FILE = "plotly.min.js"


class PlotlyStorage(FileSystemStorage):
    # collectstatic puts a storage's files under its prefix, as FileSystemFinder's are.
    prefix = PLOTLY_PREFIX


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = PlotlyStorage(location=PLOTLY_DIR)

    def find(self, path: str, find_all: bool = False, **kwargs):
        if path == f"{PLOTLY_PREFIX}/{PLOTLY_FILE}":
            match = str(PLOTLY_DIR / PLOTLY_FILE)
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield PLOTLY_FILE, self.storage
