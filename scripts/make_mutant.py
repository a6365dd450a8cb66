#!/usr/bin/env python3
"""Write contracts/mutants/NAME.patch from one textual edit of a contract source (a maintainer tool).

Usage: make_mutant.py NAME FILE OLD NEW [DESCRIPTION]   (FILE relative to contracts/, OLD must occur once)
"""
import difflib
import sys
from pathlib import Path

name, rel, old, new = sys.argv[1:5]
description = sys.argv[5] if len(sys.argv) > 5 else ""
root = Path(__file__).resolve().parent.parent / "contracts"
text = (root / rel).read_text()
if text.count(old) != 1:
    sys.exit(f"{rel}: the text to replace occurs {text.count(old)} times, need exactly 1")
mutated = text.replace(old, new)
diff = difflib.unified_diff(text.splitlines(True), mutated.splitlines(True), f"a/{rel}", f"b/{rel}")
header = f"Planted bug {name}: {description}\n\n" if description else ""
(root / "mutants" / f"{name}.patch").write_text(header + "".join(diff))
print(f"wrote contracts/mutants/{name}.patch")
