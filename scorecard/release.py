"""Where ai-scorecard itself lives, and the commit this copy of it was built from.

`scorecard init` pins the portfolio's workflows to the tool's GitHub Action by that commit (OpenSSF's
Pinned-Dependencies: a tag can be moved, a commit cannot), with the version as a comment.
"""

from __future__ import annotations

import re
import subprocess
from importlib import resources
from pathlib import Path

from scorecard import __version__

TOOL_REPO = "example-org/ai-scorecard"
"""The GitHub repository of ai-scorecard: its Action and its source (change it where the project is published)."""
TOOL_URL = f"https://github.com/{TOOL_REPO}"
_COMMIT = re.compile(r"[0-9a-f]{40}")


def tool_commit() -> str | None:
    """The commit this copy was built from: recorded in the wheel by the build (setup.py), or, in a development
    install, the HEAD of the checkout it runs from when its tracked files are unchanged; None when neither says."""
    try:
        recorded = resources.files("scorecard").joinpath("_commit.txt").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, OSError):
        recorded = ""
    if _COMMIT.fullmatch(recorded):
        return recorded
    root = Path(__file__).resolve().parent.parent
    project = root / "pyproject.toml"
    if not project.is_file() or 'name = "ai-scorecard"' not in project.read_text(encoding="utf-8"):
        return None  # installed, not run from a checkout of the tool

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--verify", "HEAD")
    if commit and _COMMIT.fullmatch(commit) and git("status", "--porcelain", "--untracked-files=no") == "":
        return commit
    return None


def action_ref(override: str | None = None) -> tuple[str, str]:
    """(ref, comment) for `uses: TOOL_REPO@ref  # comment`: the commit given, or the one this copy was built from,
    else the version's tag (the caller warns: a tag is not a pin)."""
    commit = override or tool_commit()
    if commit:
        return commit, f"v{__version__}"
    return f"v{__version__}", f"v{__version__}: a tag, not a pin; init --action-ref COMMIT pins it"
