"""The CI recipes (docs/recipes/, shown in docs/ci.md) and the contributor's guide, tested
as far as they can be here.

- Every recipe parses as YAML and is shown verbatim on docs/ci.md.
- Every ``okrs ...`` command line in the recipes and the guide is accepted by the real
  ``okrs`` parser (subcommand, options, choices), and every ``mkdocs build`` option exists.
- The GitHub workflow has its triggers (pull requests, main, a nightly schedule), the
  permissions its jobs need and pinned actions; its ``okrs diff`` step runs in a real git
  repository holding the demo; its github-script is valid JavaScript (node, when present).
- The GitLab job's script runs against a fake GitLab API on 127.0.0.1: the first run
  posts one note, the second updates it.
- The pre-commit hook of this repository and both example configs are valid for
  pre-commit; the local hook runs in a real git repository, passing and failing.
- The guide's complete objective files pass ``okrs check --strict`` among the demo's.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from mkdocs_okrs.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
RECIPES = REPO / "docs" / "recipes"
BIN = Path(sys.executable).parent
GITHUB = RECIPES / "github-okrs.yml"
GITLAB = RECIPES / "gitlab-ci.yml"
PRE_COMMIT_REMOTE = RECIPES / "pre-commit-config.yaml"
PRE_COMMIT_LOCAL = RECIPES / "pre-commit-local.yaml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def env_with_okrs(**extra: str) -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("GITHUB_ACTIONS", None)
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": extra.pop("HOME", "")
                or env.get("HOME", "/tmp")})
    env.update(extra)
    return env


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env_with_okrs()).stdout.strip()


@pytest.fixture
def demo_repo(tmp_path: Path) -> Path:
    """A git repository (branch main) holding the demo's mkdocs.yml and okrs/."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(REPO / "okrs", repo / "okrs")
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo")
    return repo


def add_checkin(repo: Path) -> None:
    """A pull request's change: one check-in, by the real command, committed on a branch."""
    git(repo, "checkout", "-q", "-b", "weekly")
    subprocess.run([str(BIN / "okrs"), "checkin", "2026-Q4/ecommerce/checkout-feels-instant#p95", "410",
                    "--confidence", "0.7", "--note", "Edge cache", "--date", "2026-11-20"],
                   cwd=repo, check=True, capture_output=True, env=env_with_okrs())
    git(repo, "commit", "-q", "-am", "weekly check-in")


# ------------------------------------------------------------------------ every recipe


def test_recipes_parse_and_are_shown_verbatim_on_the_ci_page() -> None:
    page = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    files = sorted(RECIPES.iterdir())
    assert {f.name for f in files} >= {GITHUB.name, GITLAB.name, PRE_COMMIT_REMOTE.name, PRE_COMMIT_LOCAL.name}
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert isinstance(yaml.safe_load(text), (dict, list)), f
        assert f'```yaml title="docs/recipes/{f.name}"\n{text}```' in page, f"{f.name} is not shown as it is"


def shell_lines(path: Path) -> list[str]:
    """The shell commands of a workflow (``run:``) or a GitLab job (``script:``)."""
    data = load(path)
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "before_script") and isinstance(value, (str, list)):
                    for part in [value] if isinstance(value, str) else value:
                        out.extend(part.splitlines())
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return out


def doc_command_lines(path: Path) -> list[str]:
    """The command lines shown in a page's code blocks (``$ okrs ...`` and bare ``okrs ...``)."""
    text = path.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```[^\n]*\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("$ "):
                line = line[2:]
            if line.startswith(("okrs ", "mkdocs ")):
                lines.append(line)
    return lines


def okrs_argv(line: str) -> list[str] | None:
    """The arguments of the ``okrs`` command in a shell line (variables made concrete,
    redirections dropped), or None when the line runs no okrs command."""
    m = re.search(r"(?:^|[;&|]\s*|\s)okrs\s+(.*)$", line)
    if m is None or line.lstrip().startswith("#"):
        return None
    words = shlex.split(re.sub(r"\s#.*$", "", m.group(1)))  # a comment starts a word ('ID#KR' is none)
    argv = []
    for w in words:
        if w in (">", ">>", "|", "&&", ";", "2>&1"):
            break
        argv.append(re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", "HEAD", w))
    return argv


def recipe_and_doc_lines() -> list[tuple[str, str]]:
    out = [(GITHUB.name, line) for line in shell_lines(GITHUB)]
    out += [(GITLAB.name, line) for line in shell_lines(GITLAB)]
    out += [(name, line) for name in ("ci.md", "contributing.md") for line in doc_command_lines(REPO / "docs" / name)]
    for f in (PRE_COMMIT_LOCAL, REPO / ".pre-commit-hooks.yaml"):
        data = load(f)
        hooks = data if isinstance(data, list) else [h for r in data["repos"] for h in r["hooks"]]
        out += [(f.name, h["entry"] + " " + " ".join(h.get("args", []))) for h in hooks]
    return out


def test_every_okrs_command_line_is_accepted_by_the_real_parser(capsys) -> None:
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # the subcommands that exist
    seen: set[str] = set()
    for where, line in recipe_and_doc_lines():
        argv = okrs_argv(line)
        if not argv:
            continue
        assert argv[0] in commands, f"{where}: {line!r}: no command 'okrs {argv[0]}'"
        try:
            parser.parse_args(argv)
        except SystemExit as exc:
            raise AssertionError(f"{where}: {line!r}: {capsys.readouterr().err}") from exc
        seen.add(argv[0])
    # The recipes and the guide use these (a renamed command would leave them behind).
    assert seen >= {"check", "diff", "checkin", "carry-over", "import", "new", "schema"}, seen


def test_mkdocs_build_options_exist() -> None:
    help_text = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--help"], capture_output=True,
                               text=True, check=True, env=env_with_okrs(NO_MKDOCS_2_WARNING="1")).stdout
    found = 0
    for where, line in recipe_and_doc_lines():
        m = re.search(r"\bmkdocs build\b(.*)", line)
        if not m:
            continue
        found += 1
        for option in re.findall(r"(?<!\S)(--?[a-z][a-z-]*)", m.group(1)):
            assert re.search(rf"(?<![\w-]){re.escape(option)}\b", help_text), f"{where}: mkdocs build {option}?"
    assert found >= 2


# ------------------------------------------------------------------------ GitHub Actions


def test_github_workflow_triggers_jobs_and_permissions() -> None:
    wf = load(GITHUB)
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key 'on' as true
    assert set(on) >= {"pull_request", "push", "schedule"}
    assert on["push"]["branches"] == ["main"]
    [cron] = [s["cron"] for s in on["schedule"]]
    fields = cron.split()
    assert len(fields) == 5 and all(re.fullmatch(r"[0-9*/,-]+", f) for f in fields)
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    assert set(jobs) == {"check", "diff", "pages"}
    assert "pull_request" in jobs["check"]["if"] and "pull_request" in jobs["diff"]["if"]
    assert jobs["diff"]["permissions"]["pull-requests"] == "write"
    assert jobs["pages"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "!= 'pull_request'" in jobs["pages"]["if"]  # main, the nightly schedule and by hand
    uses = [s["uses"] for j in jobs.values() for s in j["steps"] if "uses" in s]
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", u) for u in uses), uses
    assert {"actions/deploy-pages@v4", "actions/upload-pages-artifact@v3", "actions/github-script@v7"} <= set(uses)
    steps = {s.get("name") or s.get("run") or s["uses"]: s for s in jobs["diff"]["steps"]}
    assert steps["actions/checkout@v4"]["with"]["fetch-depth"] == 0
    # The check runs with annotations, strict; the site builds into the folder it uploads.
    assert "okrs check --strict --format github" in shell_lines(GITHUB)
    build = [s for s in jobs["pages"]["steps"] if "mkdocs build" in s.get("run", "")][0]["run"]
    upload = [s for s in jobs["pages"]["steps"] if s.get("uses", "").startswith("actions/upload-pages")][0]
    assert build.split("--site-dir")[1].split()[0] == upload["with"]["path"]


def test_github_diff_step_runs_on_a_pull_request(demo_repo: Path) -> None:
    base = git(demo_repo, "rev-parse", "HEAD")
    git(demo_repo, "update-ref", "refs/remotes/origin/main", base)  # as actions/checkout fetches it
    add_checkin(demo_repo)
    [step] = [s for s in load(GITHUB)["jobs"]["diff"]["steps"] if s.get("name") == "okrs diff"]
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=demo_repo, capture_output=True, text=True,
                          env=env_with_okrs(GITHUB_BASE_REF="main", GITHUB_ACTIONS="true"))
    assert proc.returncode == 0, proc.stderr
    body = (demo_repo / "okrs-diff.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- okrs-diff -->\n")
    assert "Make checkout feel instant" in body and "410" in body and "Edge cache" in body


def test_github_script_is_valid_javascript(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    [step] = [s for s in load(GITHUB)["jobs"]["diff"]["steps"] if "github-script" in s.get("uses", "")]
    script = tmp_path / "comment.js"
    # github-script runs the text as the body of an async function with github, context, require.
    script.write_text(f"(async function (github, context, require) {{\n{step['with']['script']}\n}});\n",
                      encoding="utf-8")
    proc = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------------------ GitLab


class FakeGitLab(http.server.BaseHTTPRequestHandler):
    """The notes API of one merge request, in memory."""

    notes: list[dict] = []
    calls: list[tuple[str, str]] = []
    PREFIX = "/api/v4/projects/7/merge_requests/3/notes"

    def _reply(self, status: int, doc) -> None:
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def _ok(self) -> bool:
        self.calls.append((self.command, self.path))
        if self.headers.get("PRIVATE-TOKEN") != "secret":
            self._reply(401, {"message": "401 Unauthorized"})
            return False
        return True

    def do_GET(self):  # noqa: N802 - http.server's names
        if self._ok():
            self._reply(200, self.notes)

    def do_POST(self):  # noqa: N802
        if self._ok():
            assert self.path == self.PREFIX
            note = {"id": len(self.notes) + 100, "body": self._body()["body"]}
            self.notes.append(note)
            self._reply(201, note)

    def do_PUT(self):  # noqa: N802
        if self._ok():
            note_id = int(self.path.rsplit("/", 1)[1])
            [note] = [n for n in self.notes if n["id"] == note_id]
            note["body"] = self._body()["body"]
            self._reply(200, note)

    def log_message(self, *args):
        pass


def test_gitlab_diff_job_posts_one_note_then_updates_it(demo_repo: Path) -> None:
    base = git(demo_repo, "rev-parse", "HEAD")
    add_checkin(demo_repo)
    job = load(GITLAB)["okrs-diff"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    script = "\n".join(job["script"])
    FakeGitLab.notes, FakeGitLab.calls = [{"id": 1, "body": "Looks good to me"}], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGitLab)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = env_with_okrs(CI_API_V4_URL=f"http://127.0.0.1:{server.server_port}/api/v4", CI_PROJECT_ID="7",
                            CI_MERGE_REQUEST_IID="3", CI_MERGE_REQUEST_DIFF_BASE_SHA=base, OKRS_BOT_TOKEN="secret")
        for _ in range(2):  # two pushes to the merge request
            proc = subprocess.run(["bash", "-e", "-c", script], cwd=demo_repo, capture_output=True, text=True,
                                  env=env, timeout=120)
            assert proc.returncode == 0, proc.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert [c[0] for c in FakeGitLab.calls] == ["GET", "POST", "GET", "PUT"]
    assert len(FakeGitLab.notes) == 2 and FakeGitLab.notes[0]["body"] == "Looks good to me"
    body = FakeGitLab.notes[1]["body"]
    assert body.startswith("<!-- okrs-diff -->") and "Make checkout feel instant" in body and "410" in body


def test_gitlab_pipeline_structure() -> None:
    ci = load(GITLAB)
    assert "pip install --quiet mkdocs-okrs" in ci["default"]["before_script"]
    assert ci["okrs-check"]["script"] == ["okrs check --strict"]
    assert ci["pages"]["script"] == ["mkdocs build --site-dir public"]
    assert ci["pages"]["artifacts"]["paths"] == ["public"]  # what GitLab Pages publishes
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]  # also the schedule
    for job in ("okrs-check", "okrs-diff"):
        assert "merge_request_event" in ci[job]["rules"][0]["if"]


# ---------------------------------------------------------------------------- pre-commit


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
                          env=env_with_okrs(PRE_COMMIT_HOME=str(home / "pre-commit"), HOME=str(home)), timeout=300)


def test_hook_definition_points_at_a_real_entry_and_matches_the_okr_files() -> None:
    [hook] = load(REPO / ".pre-commit-hooks.yaml")
    assert hook["id"] == "okrs-check" and hook["language"] == "python" and hook["pass_filenames"] is False
    program, command = hook["entry"].split()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^{program} = "mkdocs_okrs\.cli:main"$', pyproject, re.M)  # the console script
    assert (BIN / program).exists() and command == "check"
    for config in (PRE_COMMIT_LOCAL, REPO / ".pre-commit-hooks.yaml"):
        data = load(config)
        files = (data if isinstance(data, list) else data["repos"][0]["hooks"])[0]["files"]
        for path in ("okrs/2026-Q4/ecommerce/checkout-feels-instant.md", "okrs/org.yml", "mkdocs.yml"):
            assert re.search(files, path), (config.name, files, path)
    # The example config names the hook this repository publishes.
    [repo] = load(PRE_COMMIT_REMOTE)["repos"]
    assert [h["id"] for h in repo["hooks"]] == ["okrs-check"]


def test_pre_commit_accepts_the_manifest_and_the_configs(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    for args in (["validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
                 ["validate-config", str(PRE_COMMIT_REMOTE)], ["validate-config", str(PRE_COMMIT_LOCAL)]):
        proc = pre_commit(*args, cwd=REPO, home=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_local_hook_runs_passes_and_fails(demo_repo: Path, tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    shutil.copy(PRE_COMMIT_LOCAL, demo_repo / ".pre-commit-config.yaml")
    git(demo_repo, "add", ".pre-commit-config.yaml")
    proc = pre_commit("run", "--all-files", cwd=demo_repo, home=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"okrs check\.+Passed", proc.stdout), proc.stdout
    bad = demo_repo / "okrs" / "2026-Q4" / "marketing" / "broken.md"
    bad.write_text("---\nobjective: Broken\nowner: marketing\nperiod: 2026-Q5\nkey_results: [A]\n---\n",
                   encoding="utf-8")
    git(demo_repo, "add", "-A")
    proc = pre_commit("run", "--all-files", cwd=demo_repo, home=tmp_path)
    assert proc.returncode == 1
    assert "okrs/2026-Q4/marketing/broken.md:4:1: error: period '2026-Q5' is not valid" in proc.stdout, proc.stdout


# ----------------------------------------------------------------------- the guide's files


def test_the_guides_objective_files_pass_okrs_check_strict(demo_repo: Path) -> None:
    text = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    files = [(path, body) for path, body in re.findall(r'```yaml title="(okrs/[^"]+\.md)"\n(.*?)```', text, re.S)
             if body.startswith("---\n") and "\n---\n" in body[4:]]  # complete files, not excerpts
    assert files, "the guide shows no complete objective file"
    for path, body in files:
        target = demo_repo / path
        assert not target.exists(), path
        target.write_text(body, encoding="utf-8")
    proc = subprocess.run([str(BIN / "okrs"), "check", "--strict"], cwd=demo_repo, capture_output=True, text=True,
                          env=env_with_okrs())
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_the_guides_vscode_problem_matcher_reads_okrs_check_output() -> None:
    text = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    [tasks] = re.findall(r'```json title="\.vscode/tasks\.json"\n(.*?)```', text, re.S)
    pattern = json.loads(tasks)["tasks"][0]["problemMatcher"]["pattern"]
    line = ("okrs/2026-Q4/sales/grow.md:3:1: error: owner 'sale' is not a unit in okrs/org.yml; "
            "did you mean 'sales'? [owner-unknown]")
    m = re.match(pattern["regexp"], line)
    assert m and m.group(pattern["file"]) == "okrs/2026-Q4/sales/grow.md" and m.group(pattern["line"]) == "3"
    assert m.group(pattern["severity"]) == "error" and m.group(pattern["code"]) == "owner-unknown"
