"""The README's SDK example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_sdk_example_runs(toolchain, capsys):
    text = README.read_text()
    block = re.search(r"<!-- sdk-example -->\n```python\n(.*?)```", text, re.S)
    assert block, "README lost its <!-- sdk-example --> block"
    exec(compile(block.group(1), "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("3 transactions; [1, 2, 3]")
