"""The build records the commit it was built from, so that `scorecard init` can pin the GitHub Action by it.

Everything else is in pyproject.toml. The commit goes into the wheel as scorecard/_commit.txt, and only when the
build runs in a git checkout whose tracked files are unchanged: a wheel from a modified tree records none, so
init never pins a commit that does not hold the code it runs.
"""

import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        recorded = Path(self.build_lib) / "scorecard" / "_commit.txt"
        recorded.unlink(missing_ok=True)  # an earlier build's, left in build/: never a commit this tree is not
        commit = _git("rev-parse", "--verify", "HEAD")
        clean = _git("status", "--porcelain", "--untracked-files=no")
        if commit and len(commit) == 40 and clean == "":
            recorded.write_text(commit + "\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildPy})
