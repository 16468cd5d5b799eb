"""Two things pyproject.toml cannot say: the package index's description, and the commit the build is made from.

The description is README.md with its relative links and images made absolute (on the repository, at the commit
built, else main), so that the screenshots show on the package index too, while the README itself keeps
relative links that work in any clone or fork.

The build records the commit it was built from, so that `scorecard init` can pin the GitHub Action by it. The commit goes into the wheel as scorecard/_commit.txt, and only when the
build runs in a git checkout whose tracked files are unchanged: a wheel from a modified tree records none, so
init never pins a commit that does not hold the code it runs.
"""

import re
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


REPOSITORY = "https://github.com/example-org/ai-scorecard"  # scorecard/release.py's TOOL_URL (a test holds them equal)


def description() -> str:
    """README.md with every relative link and image absolute: images from the raw files, links to the tree."""
    text = (Path(__file__).parent / "README.md").read_text(encoding="utf-8")
    commit = _git("rev-parse", "--verify", "HEAD") if _git("status", "--porcelain", "--untracked-files=no") == "" \
        else None
    ref = commit if commit and len(commit) == 40 else "main"
    raw = REPOSITORY.replace("https://github.com/", "https://raw.githubusercontent.com/") + f"/{ref}/"
    tree = f"{REPOSITORY}/blob/{ref}/"

    def absolute(base: str):
        def put(m: re.Match) -> str:
            target = m.group(2)
            if re.match(r"[a-z][a-z0-9+.-]*:|#|/", target):
                return m.group(0)  # absolute already, or a place on the page
            return f"{m.group(1)}{base}{target}{m.group(3)}"
        return put

    text = re.sub(r'(<img src=")([^"]+)(")', absolute(raw), text)
    text = re.sub(r"(!\[[^\]]*\]\()([^)\s]+)(\))", absolute(raw), text)
    text = re.sub(r"((?<!!)\[[^\]]*\]\()([^)\s]+)(\))", absolute(tree), text)
    return text


setup(cmdclass={"build_py": BuildPy}, long_description=description(), long_description_content_type="text/markdown")
