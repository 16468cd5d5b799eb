"""Run the steps of action.yml as a runner would, from this checkout, for the tests of the Action and of the
workflows that call it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import GIT_ENV, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _expr(text: str, inputs: dict[str, str], github: dict[str, str]) -> str:
    """A value of action.yml with its `${{ ... }}` expressions put in: inputs, github.*, `a || format(...)`."""
    def one(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        alternatives = [a.strip() for a in inner.split("||")]
        for a in alternatives:
            if a.startswith("inputs."):
                value = inputs[a[len("inputs."):]]
            elif a.startswith("github."):
                value = github[a[len("github."):]]
            elif (f := re.fullmatch(r"format\('([^']*)', github\.([a-z_]+)\)", a)):
                value = f.group(1).replace("{0}", github[f.group(2)])
            else:
                raise AssertionError(f"an expression this test does not read: {a}")
            if value:
                return value
        return ""
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def _runs(step: dict, inputs: dict[str, str]) -> bool:
    """Whether a step of action.yml runs for these inputs (its `if:`, the forms action.yml uses; nothing cancelled)."""
    cond = str(step.get("if", "true")).strip()
    cond = cond.removeprefix("${{").removesuffix("}}").strip()
    cond = cond.replace("!cancelled()", "True").replace("&&", " and ").replace("||", " or ")
    cond = re.sub(r"inputs\.([a-z-]+)", lambda m: repr(inputs[m.group(1)]), cond)
    return bool(eval(cond.replace("true", "True"), {"__builtins__": {}}))  # only the forms above reach here


def action_inputs(given: dict[str, str]) -> dict[str, str]:
    return {k: given.get(k, v.get("default", "")) for k, v in ACTION["inputs"].items()}


def action_step(name: str, inputs: dict[str, str], cwd: Path, extra: dict[str, str],
                path: str | None = None) -> subprocess.CompletedProcess:
    """Run one step of action.yml as the runner would: its `env:` with the inputs (and their defaults) and the
    action's own path put in, its script in bash, in `cwd` with `path` (default: this venv's tools) on PATH."""
    [step] = [s for s in ACTION["runs"]["steps"] if s.get("name") == name]
    values = action_inputs(inputs)
    tools = path or f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, **GIT_ENV, **extra, "PATH": tools}
    github = {"action_path": str(ROOT), "base_ref": extra.get("BASE_REF", "main")}
    for key, expr in (step.get("env") or {}).items():
        env[key] = _expr(str(expr), values, github)
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True)


def run_action(inputs: dict[str, str], cwd: Path, extra: dict[str, str], path: str,
               skip: tuple[str, ...] = ()) -> list[str]:
    """Every step of action.yml that runs for `inputs`, in order, from this checkout (the `uses:` ones, which set
    Python up, are the runner's, and the steps named in `skip`); returns the names of the steps run. A failed step
    fails the test."""
    ran = []
    for step in ACTION["runs"]["steps"]:
        if "uses" in step or step.get("name") in skip or not _runs(step, action_inputs(inputs)):
            continue
        done = action_step(step["name"], inputs, cwd, extra, path)
        assert done.returncode == 0, f"{step['name']}: {done.stdout}\n{done.stderr}"
        ran.append(step["name"])
    return ran
