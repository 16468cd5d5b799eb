"""`scorecard init DIR`: a new portfolio repository that validates, builds and publishes at once.

The files come from the templates in `scorecard/data/portfolio/` (placeholders `@@name@@`), the
policy file from the policy model's defaults and the JSON Schema from the initiative model, so none
of them drifts from the version that writes them. Values from the command line are checked first
and reach YAML only quoted. Then every file is gathered, then every target checked, and only then
is anything written: a refused run leaves the folder as it was.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import textwrap
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ValidationError

from scorecard import __version__
from scorecard.catalogue import TIERS
from scorecard.config import DEFAULT_SITE_NAME
from scorecard.errors import UserError
from scorecard.model import json_schema
from scorecard.months import format_month
from scorecard.policy import Policy
from scorecard.release import TOOL_REPO, TOOL_URL, action_ref
from scorecard.render.escape import safe_url

DEFAULT_NAME = DEFAULT_SITE_NAME
EXAMPLE_ID = "support-reply-drafts"
TEMPLATES = "data/portfolio"
_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\.\.?$)[A-Za-z0-9._-]{1,100}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLACEHOLDER = re.compile(r"@@([a-z0-9_]+)@@")
_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class InitOptions:
    name: str = DEFAULT_NAME
    currency: str | None = None
    """The policy's currency, written uncommented; None keeps the default, commented."""
    site_url: str | None = None
    """Where the site is published; None derives it from `repo` (GitHub Pages), if any."""
    repo: str | None = None
    """ORG/NAME of the portfolio's GitHub repository: edit links, repo_url, CODEOWNERS teams."""
    examples: bool = False
    """The full example portfolio instead of one example pilot."""
    action_ref: str | None = None
    """The commit of ai-scorecard's Action the workflows pin (None: the one this copy was built from)."""
    empty: bool = False
    """No example initiative: the portfolio's own come next (an import, say)."""

    def checked(self) -> InitOptions:
        """The options, each checked, with site_url filled in and ending in '/'; raises UserError."""
        if not self.name.strip() or _CONTROL.search(self.name) or len(self.name) > 200:
            raise UserError(f"--name must be one line of text, at most 200 characters; got {self.name!r}")
        if self.currency is not None:
            try:
                Policy(currency=self.currency)
            except ValidationError:
                raise UserError(f"--currency must be an ISO code of three capital letters such as EUR; "
                                f"got {self.currency!r}") from None
        if self.repo is not None and not _REPO.fullmatch(self.repo):
            raise UserError(f"--repo must be a GitHub repository written ORG/NAME (letters, digits, '-', "
                            f"and '.' or '_' in NAME), e.g. acme/ai-portfolio; got {self.repo!r}")
        site_url = self.site_url if self.site_url is not None else pages_url(self.repo)
        if site_url is not None:
            parts = urlsplit(site_url) if safe_url(site_url) == site_url else None
            if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname \
                    or parts.query or parts.fragment:
                raise UserError(f"--site-url must be an http(s) address without spaces, query or fragment, "
                                f"e.g. https://acme.github.io/ai-portfolio/; got {site_url!r}")
            site_url = site_url if site_url.endswith("/") else site_url + "/"
        if self.action_ref is not None and not _SHA.fullmatch(self.action_ref):
            raise UserError(f"--action-ref must be the full 40-character commit of ai-scorecard to pin its Action to "
                            f"(a tag can be moved); got {self.action_ref[:60]!r}{'…' if len(self.action_ref) > 60 else ''}")
        if self.empty and self.examples:
            raise UserError("--empty and --examples exclude each other: choose one")
        return InitOptions(self.name, self.currency, site_url, self.repo, self.examples, self.action_ref, self.empty)


def pages_url(repo: str | None) -> str | None:
    """The GitHub Pages address of a repository ORG/NAME."""
    if repo is None:
        return None
    org, name = repo.split("/")
    host = f"{org.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


def yaml_text(value: str) -> str:
    """`value` as a double-quoted YAML scalar on one line: any text round-trips."""
    return yaml.safe_dump(value, default_style='"', width=float("inf"), allow_unicode=True).rstrip("\n")


def template(name: str, **values: str) -> str:
    """A template of `scorecard/data/portfolio/` with every `@@placeholder@@` filled in."""
    text = resources.files("scorecard").joinpath(f"{TEMPLATES}/{name}").read_text(encoding="utf-8")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


# policy.yml ------------------------------------------------------------------------------------------------------

def _comment(text: str | None, indent: str) -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(text or "", 96 - len(indent), break_on_hyphens=False)]


def _policy_lines(model: type[BaseModel], values: dict[str, Any], indent: str = "") -> list[str]:
    """Every field of a policy section with its description and default, as YAML (not yet commented)."""
    lines = []
    for key, field in model.model_fields.items():
        key = field.alias or key  # as the file spells it (`import`, a Python keyword, is the field `import_`)
        if values.get(key) is None and (field.description or "").startswith("Format version 1's place"):
            continue  # still read from old policy files, not written into new ones
        if not indent:
            lines.append("")  # a paragraph per top-level key
        lines += _comment(field.description, indent)
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            lines += [f"{indent}{key}:", *_policy_lines(section, values[key], indent + "  ")]
        else:
            lines.append(f"{indent}{key}: {_flow(values[key])}")
    return lines


def _flow(value: Any) -> str:
    """A value as YAML on one line: `0.1`, `USD`, `[5, 50, 500]`."""
    return yaml.safe_dump(value, default_flow_style=True, width=float("inf")).removesuffix("...\n").strip()


def policy_text(currency: str | None) -> str:
    """policy.yml: every threshold at its default, commented out, but `currency` when one is given."""
    head = [
        "# The policy: every threshold the verdicts and the health score use, at its default.",
        "# To change one, remove the '# ' in front of it (and in front of its section's name, e.g. `pilot:`);",
        "# the keys left commented keep their defaults. The file is validated like an initiative file, and",
        "# `scorecard rules` prints the methodology with the policy in force.",
        f"# Written from the defaults of ai-scorecard {__version__}; a later version may add keys.",
    ]
    body = []
    defaults = Policy()
    values = defaults.model_dump(mode="json", by_alias=True)
    # show what the preset requires, and an example control, where the model's defaults say only "the preset's"
    values["governance"]["required"] = {t: list(defaults.catalogue.required_for(t)) for t in TIERS}
    for line in _policy_lines(Policy, values):
        if currency is not None and line.startswith("currency:"):
            body.append(f"currency: {currency}")
        elif line and not line.startswith("#"):  # a key, or a description inside a section
            body.append(f"# {line}")
        else:  # a blank line or a top-level description: a comment already
            body.append(line)
    return "\n".join(head + body) + "\n"


# The other files -------------------------------------------------------------------------------------------------

def _example(month: int) -> str:
    """The example pilot, three months in as of the month before `month`."""
    return template("example.yaml", proposed=format_month(month - 5), pilot=format_month(month - 3),
                    assessed=format_month(month - 4) + "-20", target=format_month(month + 9),
                    month1=format_month(month - 3), month2=format_month(month - 2), month3=format_month(month - 1))


EXAMPLES_AS_OF = "2026-10"
"""The last month of figures in the packaged example portfolio (a fixed snapshot)."""


def untouched_example(text: str, today: int) -> bool:
    """Whether `text` is the example pilot exactly as `init` wrote it in one of the last five years."""
    return any(text == _example(month) for month in range(today, today - 61, -1))


def _initiatives(examples: bool, month: int, empty: bool = False) -> dict[str, str]:
    if empty:
        return {"initiatives/.gitkeep": ""}
    if not examples:
        return {f"initiatives/{EXAMPLE_ID}.yaml": _example(month)}
    folder = resources.files("scorecard").joinpath(f"{TEMPLATES}/examples")
    return {f"initiatives/{f.name}": f.read_text(encoding="utf-8")
            for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".yaml")}


def _codeowners(org: str, initiatives: dict[str, str]) -> str:
    teams = []
    for path, text in initiatives.items():
        if not path.endswith(".yaml"):
            continue
        unit = str((yaml.safe_load(text) or {}).get("business_unit") or "initiative")
        teams.append((f"/{path}", f"@{org}/{re.sub(r'[^a-z0-9]+', '-', unit.lower()).strip('-')}-ai-team"))
    width = max((len(p) for p, _ in teams), default=0)
    return template("CODEOWNERS", office=f"@{org}/ai-program-office",
                    teams="\n".join(f"{p.ljust(width)}  {t}" for p, t in teams))


def _mkdocs(o: InitOptions) -> str:
    site = f"site_url: {yaml_text(o.site_url)}" if o.site_url else "# site_url: https://ORG.github.io/NAME/"
    if o.repo:
        repo = ("# Uncomment to link the repository in the header. Material then asks api.github.com for its\n"
                "# stars from every reader's browser: the site is no longer free of requests to other hosts.\n"
                f"# repo_url: {yaml_text('https://github.com/' + o.repo)}\n"
                "# edit_uri: edit/main/docs/            # the edit button of your own pages in docs/")
        edit = f"      edit_url: {yaml_text(f'https://github.com/{o.repo}/edit/main/{{path}}')}"
    else:
        repo = "# repo_url: https://github.com/ORG/NAME      # `scorecard init --repo ORG/NAME` writes these"
        edit = "      # edit_url: https://github.com/ORG/NAME/edit/main/{path}"
    as_of = (f"      as_of: {EXAMPLES_AS_OF}                 # the examples are a snapshot: judge them as of their last month"
             if o.examples else
             "      # as_of: 2026-10               # pin the month to judge as of (default: the last complete month)")
    return template("mkdocs.yml", version=__version__, site_name=yaml_text(o.name), as_of=as_of,
                    site_url=site + "   # where the site is published; instant navigation needs it",
                    repo_url=repo, edit_url=edit + "   # the \"edit this file\" link of each initiative page")


def portfolio_files(options: InitOptions, month: int) -> dict[str, str]:
    """Every file of a new portfolio by its relative path; `month` is the current month."""
    o = options.checked()
    initiatives = _initiatives(o.examples, month, o.empty)
    ref, comment = action_ref(o.action_ref)
    common = {"version": __version__, "tool_url": TOOL_URL, "tool_repo": TOOL_REPO, "action_ref": ref,
              "action_comment": comment}
    schema_globs = ["initiatives/*.yaml", "initiatives/**/*.yaml"]
    return {
        "mkdocs.yml": _mkdocs(o),
        "policy.yml": policy_text(o.currency),
        **initiatives,
        "docs/.gitkeep": "",
        "schema/initiative.schema.json": json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n",
        ".gitignore": template("gitignore"),
        ".yamllint": template("yamllint"),
        ".pre-commit-config.yaml": template("pre-commit-config.yaml", **common),
        ".github/CODEOWNERS": _codeowners(o.repo.split("/")[0] if o.repo else "ORG", initiatives),
        ".github/workflows/validate.yml": template("validate.yml", **common),
        ".github/workflows/publish.yml": template("publish.yml", **common),
        ".vscode/settings.json": json.dumps({"yaml.schemas": {"./schema/initiative.schema.json": schema_globs}},
                                            indent=2) + "\n",
        "README.md": template("README.md", title=o.name, **common),
    }


# Writing ---------------------------------------------------------------------------------------------------------

def _refusal(folder: Path, files: dict[str, str], force: bool) -> str | None:
    """Why the files cannot all be written, naming the first path in the way; None when they can."""
    if os.path.lexists(folder) and not folder.is_dir():
        return f"{folder} exists and is not a folder; nothing was written"
    for rel in files:
        path = folder / rel
        for parent in list(path.relative_to(folder).parents)[-2::-1]:  # the folders on the way, outermost first
            there = folder / parent
            if there.is_symlink() or (os.path.lexists(there) and not there.is_dir()):
                return f"{there} is in the way of {path}: it is not a folder (or is a link); nothing was written"
        if path.is_dir() and not path.is_symlink():
            return f"{path} is a folder; nothing was written"
        if os.path.lexists(path) and not force:
            return f"{path} exists; nothing was written (--force replaces the files init writes)"
    return None


def write_portfolio(folder: Path, files: dict[str, str], *, force: bool = False) -> list[str]:
    """Write `files` under `folder` once none is in the way; returns the relative paths written.

    A file is created, never written through: with `force` an existing file or link is removed first.
    """
    refusal = _refusal(folder, files, force)
    if refusal:
        raise UserError(refusal)
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if force and os.path.lexists(path):
            path.unlink()
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    return list(files)


def init_portfolio(folder: Path, options: InitOptions, *, month: int, force: bool = False) -> list[str]:
    """Check the options, gather every file of a new portfolio, then write them into `folder`."""
    return write_portfolio(folder, portfolio_files(options, month), force=force)


def next_steps(folder: Path, repo: str | None) -> str:
    remote = f"https://github.com/{repo}.git" if repo else "https://github.com/ORG/NAME.git"
    return "\n".join([
        "next:",
        f"  cd {shlex.quote(str(folder))}",
        "  scorecard validate && scorecard report     # check the initiatives and print the scorecard",
        "  scorecard serve                            # preview the site at http://127.0.0.1:8000",
        '  git init -b main && git add -A && git commit -m "The AI portfolio"',
        f"  git remote add origin {remote} && git push -u origin main",
        'then follow "Set up once" in README.md: GitHub Pages, the required check and CODEOWNERS.',
    ])
