"""For tests that keep a pure module pure: which top-level modules does it import?"""

import ast
from pathlib import Path


def imported_modules(path: str) -> set[str]:
    tree = ast.parse(Path(path).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    return imported
