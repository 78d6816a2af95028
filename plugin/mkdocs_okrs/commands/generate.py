"""``okrs generate OUT_DIR``: the OKR site as plain files, for a builder that runs no plugin.

Zensical reads ``mkdocs.yml`` but runs no third-party plugin; ProperDocs and MkDocs
build a site without the ``okrs`` plugin too. This command writes what the plugin
adds to a build -- every page, ``okrs.json``, the Atom feed, the stylesheets and
scripts -- into OUT_DIR (for example ``docs/okrs``), made by the plugin's own page
generator (:class:`~mkdocs_okrs.site.generate.OkrSite`) from the public view of the
OKRs: a private objective is gone before anything is written.

Each page is a Markdown file whose content is the page's HTML, which Python-Markdown
passes through as it is (:func:`~mkdocs_okrs.site.generate.markdown_page`), at a path
that gives it the URL it has under the plugin
(:func:`~mkdocs_okrs.site.generate.generated_path`). The URLs come from where OUT_DIR
lies in the ``docs_dir`` of mkdocs.yml (``docs/okrs`` -> ``okrs/``).

OUT_DIR belongs to the command: a manifest (``.okrs-generated``) lists every file
it wrote with its SHA-256, and a run refuses (exit 2, nothing written) a folder that
holds any other file or a file changed since. The new output is written into a
hidden folder beside OUT_DIR first; a new OUT_DIR is that folder renamed, an existing
one is updated from it file by file (:func:`update_folder`): a file that changed is
replaced whole, one that did not is not touched -- a server that watches the docs
(``zensical serve``, ``mkdocs serve``) sees what changed, and only that -- and the
manifest, written first with both digests of each file and last with the new ones,
lets the next run finish what an interrupted one began.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from . import summary
from .common import add_root_options

DESCRIPTION = (
    "Write the OKR section of the site -- one Markdown page per dashboard, period, review, unit, "
    "objective and tag page, with the same content and the same URLs as the plugin's pages, the "
    "graphs and charts inline, okrs.json, the Atom feed, the stylesheets and scripts -- into "
    "OUT_DIR, for a site builder that runs no plugin: Zensical, or MkDocs and ProperDocs without "
    "the okrs plugin. Private objectives are left out before anything is written. OUT_DIR's "
    "content is replaced on every run (files that did not change are not written again); a "
    "folder that holds files 'okrs generate' did not write is refused. Settings come from "
    "mkdocs.yml, as for 'okrs check'."
)
EPILOG = """\
examples:
  okrs generate docs/okrs && zensical build
  okrs generate docs/okrs --today 2026-11-20

Then add the stylesheets, the scripts and the pages' table of contents to mkdocs.yml
(the command prints the lines it misses); see "Builders without plugins" in the
documentation.

Exit status: 0 written, 1 the OKR files have errors or drawing the graphs failed
(nothing written), 2 usage error (also: OUT_DIR holds files it did not write).
"""

MANIFEST_HEADER = ("# Written by 'okrs generate': its next run replaces these files and refuses a folder "
                   "that holds any other. Do not edit.\n")
SHOWN = 8  # foreign files named in a refusal


def register(sub) -> None:
    """Add ``okrs generate`` to the ``okrs`` subparsers ``sub``."""
    parser = sub.add_parser(
        "generate",
        help=summary("generate"),
        description=textwrap.fill(DESCRIPTION, 79),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out_dir", metavar="OUT_DIR",
                        help="the folder to write, inside the docs folder (e.g. docs/okrs); its content is "
                             "replaced")
    add_root_options(parser)
    parser.set_defaults(run=run)


# ------------------------------------------------------------------------ the site's settings


@dataclass
class SiteConfig:
    """What ``okrs generate`` reads of mkdocs.yml (defaults without one)."""

    path: Path | None
    base_dir: Path
    docs_dir: Path | None  # None without a configuration
    plugin: Any  # the okrs plugin's validated options (OkrsConfig)
    use_directory_urls: bool = True
    site_name: str = ""
    site_url: str | None = None
    theme: dict = field(default_factory=dict)
    markdown_extensions: list = field(default_factory=list)
    mdx_configs: dict = field(default_factory=dict)
    extra_css: list = field(default_factory=list)
    extra_javascript: list = field(default_factory=list)
    repo_url: str | None = None
    edit_uri: str | None = None
    edit_uri_template: str | None = None


def _trusted_loader():
    """The safe mkdocs.yml loader, on which ``!!python/name:`` resolves names of the
    Markdown packages whose code bodies are rendered with (a custom fence's ``format``,
    ``pymdownx.superfences.fence_code_format``); any other reads as null, as for ``okrs check``."""
    import importlib

    from ..mkdocs_yml import _SafeLoader
    from ..site.bodies import _is_safe_module

    def python_name(loader, suffix: str, node) -> Any:
        module, _, name = suffix.rpartition(".")
        if not module or not _is_safe_module(module + "."):
            return None
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return None

    class TrustedNames(_SafeLoader):  # type: ignore[misc, valid-type]
        pass

    # (tried in order: before the safe loader's catch-all for python/ tags)
    TrustedNames.yaml_multi_constructors = {"tag:yaml.org,2002:python/name:": python_name,
                                            **_SafeLoader.yaml_multi_constructors}
    return TrustedNames


def markdown_extensions(raw: Any) -> tuple[list, dict]:
    """(names, configs) of mkdocs.yml's ``markdown_extensions`` as MkDocs reads them: its
    built-in ``toc``, ``tables`` and ``fenced_code`` first, then the site's."""
    names: list = ["toc", "tables", "fenced_code"]
    configs: dict = {}
    items = list(raw.items()) if isinstance(raw, dict) else [
        next(iter(i.items())) if isinstance(i, dict) and len(i) == 1 else (i, None) for i in (raw or [])
    ]
    for name, cfg in items:
        if not isinstance(name, str):
            continue
        if name not in names:
            names.append(name)
        if isinstance(cfg, dict) and cfg:
            configs[name] = cfg
    return names, configs


def site_config(args: argparse.Namespace) -> SiteConfig:
    """The settings of the site (mkdocs.yml found as ``okrs check`` finds it); UsageError
    for one that cannot be read or holds invalid okrs plugin options."""
    from ..cli import UsageError
    from ..core.config import ConfigError
    from ..core.paths import display_path
    from ..mkdocs_yml import config_file_of, load_mkdocs_yml, plugin_options
    from ..plugin_options import OkrsConfig

    path = config_file_of(args)
    data: dict = {}
    options: dict | None = None
    if path is not None:
        try:
            data = load_mkdocs_yml(path, _trusted_loader())
            options = plugin_options(data, display_path(path))
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
    base = path.parent if path is not None else Path(".")
    plugin = OkrsConfig(config_file_path=str(path) if path is not None else None)
    plugin.load_dict(dict(options or {}))
    errors, _ = plugin.validate()
    if errors:
        name, exc = errors[0]
        raise UsageError(f"{display_path(path) if path else 'settings'}: plugin 'okrs': {name}: {exc}")
    theme = data.get("theme")
    theme = {"name": theme} if isinstance(theme, str) else dict(theme) if isinstance(theme, dict) else {}
    names, configs = markdown_extensions(data.get("markdown_extensions"))

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    def items(key: str) -> list:
        value = data.get(key)
        return [str(v if not isinstance(v, dict) else v.get("path", "")) for v in value] if isinstance(value, list) else []

    docs = data.get("docs_dir", "docs") if isinstance(data.get("docs_dir", "docs"), str) else "docs"
    repo_url = text("repo_url")
    edit_uri = text("edit_uri")
    if edit_uri is None and repo_url:  # MkDocs' default (config_options.EditURI)
        from urllib.parse import urlsplit

        host = urlsplit(repo_url).netloc.lower()
        edit_uri = "edit/master/docs/" if host in ("github.com", "gitlab.com") else \
            "src/default/docs/" if host == "bitbucket.org" else None
    if edit_uri and not edit_uri.endswith("/"):
        edit_uri += "/"
    return SiteConfig(
        path=path, base_dir=base, docs_dir=(base / docs) if path is not None else None, plugin=plugin,
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        site_name=text("site_name") or "", site_url=text("site_url"), theme=theme,
        markdown_extensions=names, mdx_configs=configs,
        extra_css=items("extra_css"), extra_javascript=items("extra_javascript"),
        repo_url=repo_url, edit_uri=edit_uri, edit_uri_template=text("edit_uri_template"),
    )


# ------------------------------------------------------------------------------ the folder


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def site_prefix(out: Path, cfg: SiteConfig) -> tuple[str, bool]:
    """(the site folder of OUT_DIR's pages, whether OUT_DIR lies in the docs folder).
    In ``docs_dir``: its path there; elsewhere the plugin's ``url_prefix``."""
    from ..cli import UsageError
    from ..core.paths import display_path

    if cfg.docs_dir is None or not _inside(out, cfg.docs_dir.resolve()):
        return cfg.plugin.url_prefix, False
    parts = out.relative_to(cfg.docs_dir.resolve()).parts
    for seg in parts:
        if seg.startswith(".") or not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in seg):
            raise UsageError(
                f"{display_path(out)}: the pages' URLs would hold {seg!r}; name a folder of letters, digits, '.', "
                "'_' and '-' (not starting with '.'), for example docs/okrs"
            )
    return "/".join(parts), True


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(folder: Path) -> dict[str, set[str]] | None:
    """The files the last run wrote into ``folder``: path -> the SHA-256 digests it may
    have (two while a run replaces it, see :func:`update_folder`); None without a manifest."""
    from ..site.generate import MANIFEST_NAME

    try:
        text = (folder / MANIFEST_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return {}
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        digest, sep, rel = line.partition("  ")
        if sep and not line.startswith("#") and len(digest) == 64:
            out.setdefault(rel, set()).add(digest)
    return out


def manifest_text(files: dict[str, set[str]]) -> bytes:
    """The manifest listing ``files`` (path -> digests), sorted."""
    lines = [f"{digest}  {rel}\n" for rel in sorted(files) for digest in sorted(files[rel])]
    return (MANIFEST_HEADER + "".join(lines)).encode("utf-8")


@dataclass
class Owned:
    """What :func:`not_ours` found in a folder: files ``okrs generate`` did not write,
    files it wrote that were changed since, and the digests of the others (path -> SHA-256)."""

    foreign: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, set[str]] = field(default_factory=dict)


def not_ours(folder: Path) -> Owned:
    """Which files of ``folder`` are ``okrs generate``'s, as they were written (nothing for
    a folder that does not exist)."""
    from ..site.generate import MANIFEST_NAME

    found = Owned()
    if not folder.is_dir():
        return found
    found.manifest = manifest = read_manifest(folder) or {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():  # (not walked into)
                found.foreign.append((here / name).relative_to(folder).as_posix())
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if rel == MANIFEST_NAME:
                continue
            if rel not in manifest or path.is_symlink() or not path.is_file():
                found.foreign.append(rel)
                continue
            digest = _sha256(path)
            if digest in manifest[rel]:
                found.digests[rel] = digest
            else:
                found.changed.append(rel)
    found.foreign.sort()
    found.changed.sort()
    return found


def _listing(paths: list[str]) -> str:
    more = f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else ""
    return ", ".join(paths[:SHOWN]) + more


def _write_manifest(folder: Path, files: dict[str, set[str]]) -> None:
    from ..site.generate import MANIFEST_NAME
    from .common import write_whole

    write_whole(folder / MANIFEST_NAME, manifest_text(files))


def _make_room(out: Path, rel: str) -> None:
    """Clear the way for the file ``rel`` of ``out``: a file of ours where one of its
    folders goes, or a folder of ours where it goes (a page moved between the two URL
    styles)."""
    path = out
    for part in Path(rel).parts[:-1]:
        path = path / part
        if path.is_file():
            path.unlink()
    target = out / rel
    if target.is_dir():
        shutil.rmtree(target)


def update_folder(new: Path, out: Path, before: Owned, digests: dict[str, str]) -> int:
    """Bring ``out`` (a folder of ours, as :func:`not_ours` found it: ``before``) to the
    files of ``new`` (path -> digest: ``digests``): files that changed are moved in, each
    whole (a rename), files that did not are left alone (a server that watches the docs
    rebuilds what changed only), files that are gone are deleted, and the manifest is
    written last. Until then the manifest lists a file's old digest and its new one: a
    run that is interrupted leaves each file old or new, and the next run goes on from
    there. Returns the number of files written."""
    pending = {rel: set(ds) for rel, ds in before.manifest.items()}
    for rel, digest in digests.items():
        pending.setdefault(rel, set()).add(digest)
    _write_manifest(out, pending)
    written = 0
    for rel, digest in sorted(digests.items()):
        if before.digests.get(rel) == digest:
            continue
        _make_room(out, rel)
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(new / rel, out / rel)
        written += 1
    stale = sorted(set(before.manifest) - set(digests))
    for rel in stale:
        try:
            (out / rel).unlink()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
    for dirpath, dirnames, filenames in os.walk(out, topdown=False):  # folders left empty
        if dirpath != str(out) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    _write_manifest(out, {rel: {digest} for rel, digest in digests.items()})
    return written


class _Writer:
    """Files written below a new folder, each with its SHA-256 for the manifest."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.digests: dict[str, str] = {}

    def rel(self, site_path: str) -> str:
        if not self.prefix:
            return site_path
        assert site_path.startswith(self.prefix + "/"), site_path
        return site_path[len(self.prefix) + 1:]

    def put(self, site_path: str, data: bytes) -> None:
        rel = self.rel(site_path)
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        self.digests[rel] = hashlib.sha256(data).hexdigest()


def write_site(site, out: Path, before: Owned) -> tuple[_Writer, int]:
    """Every page and file of ``site`` (an :class:`~mkdocs_okrs.site.generate.OkrSite` whose
    figures are being drawn) into a new folder beside ``out``; then that folder becomes
    ``out`` (a new one), or ``out`` is updated from it (:func:`update_folder`). Returns the
    writer (the files and their digests) and the number of files written into ``out``."""
    from ..site.generate import MANIFEST_NAME, generated_path, markdown_page

    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.okrs-new-", dir=parent))
    try:
        writer = _Writer(tmp, site.options.prefix)
        directory_urls = site.options.use_directory_urls
        for key in site.plan.build_order():
            page = site.render(key)
            text = markdown_page(page.spec, site.finished_html(page))
            writer.put(generated_path(page.spec.src_uri, directory_urls), text.encode("utf-8"))
        extra_files, _ = site.finish()
        for path, content in sorted(extra_files.items()):
            writer.put(path, content.encode("utf-8"))
        writer.put(site.json_path, site.json().encode("utf-8"))
        writer.put(site.feed_path, site.feed().encode("utf-8"))
        for path, source in site.assets():
            writer.put(path, source.read_bytes())
        if not out.exists():
            with open(tmp / MANIFEST_NAME, "wb") as fh:
                fh.write(manifest_text({rel: {d} for rel, d in writer.digests.items()}))
            os.chmod(tmp, 0o777 & ~_umask())  # (mkdtemp made it private)
            os.rename(tmp, out)
            return writer, len(writer.digests)
        return writer, update_folder(tmp, out, before, writer.digests)
    except BaseException:
        site.cancel()
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------------ run


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the OKR site into OUT_DIR; 0 written, 1 OKR errors or graphs failed, 2 usage."""
    from ..core.diagnostics import Severity
    from ..core.paths import display_path
    from ..core.publish import public_view
    from ..site.generate import TOC_EXTENSION
    from .common import EXIT_OK, EXIT_PROBLEMS, UsageError, workspace

    ws = workspace(args)
    cfg = site_config(args)
    target = Path(os.path.abspath(args.out_dir))
    target = target.resolve() if target.exists() else target.parent.resolve() / target.name
    shown = display_path(Path(args.out_dir))
    if target.exists() and not target.is_dir():
        raise UsageError(f"{shown} is not a folder")
    root = ws.root.resolve()
    if _inside(target, root):
        raise UsageError(f"{shown} lies in the OKR folder {display_path(ws.root)}; write the pages elsewhere, "
                         "e.g. docs/okrs")
    if _inside(root, target):
        raise UsageError(f"{shown} holds the OKR folder {display_path(ws.root)}; name a folder of its own, "
                         "e.g. docs/okrs")
    if cfg.docs_dir is not None and _inside(root, cfg.docs_dir.resolve()):
        raise UsageError(f"the OKR folder {display_path(ws.root)} lies in the docs folder "
                         f"{display_path(cfg.docs_dir)}: a builder without the plugin would publish its files "
                         "as they are, private objectives too. Move it out of the docs folder.")
    prefix, in_docs = site_prefix(target, cfg)
    before = not_ours(target)
    if before.foreign or before.changed:
        parts = []
        if before.foreign:
            parts.append(f"files 'okrs generate' did not write: {_listing(before.foreign)}")
        if before.changed:
            parts.append(f"files changed since 'okrs generate' wrote them: {_listing(before.changed)}")
        raise UsageError(f"{shown} holds " + "; and ".join(parts) + ". Nothing was written: move them away, "
                         "or name a new or empty folder.")

    okrs = ws.load()
    errors = [d for d in okrs.diagnostics if d.severity is Severity.ERROR]
    for d in okrs.diagnostics:
        err.write(d.format_text() + "\n")
    if errors:
        err.write(f"okrs: generate: the OKR files have {len(errors)} error{'s' if len(errors) != 1 else ''}; "
                  "nothing was written\n")
        return EXIT_PROBLEMS
    view = public_view(okrs)
    site = make_site(view, cfg, prefix, ws)
    if site.bodies.dropped:
        err.write("okrs: objective bodies are rendered without " + ", ".join(site.bodies.dropped)
                  + " (they read files or run code)\n")
    try:
        site.start_figures()
    except Exception as exc:
        from ..graphs import GraphError

        if isinstance(exc, GraphError):
            err.write(f"okrs: generate: graphs: {exc}; nothing was written\n")
            return EXIT_PROBLEMS
        raise
    from ..site.graphworker import WorkerError

    existed = target.exists()
    try:
        writer, written = write_site(site, target, before)
    except WorkerError as exc:
        err.write(f"okrs: generate: drawing the figures failed: {exc}; nothing was written\n")
        return EXIT_PROBLEMS
    except OSError as exc:
        what = ("each of its files is the old one or the new one, whole: run 'okrs generate' again once this is "
                "solved") if existed else "nothing was written"
        err.write(f"okrs: generate: cannot write {shown}: {exc.strerror or exc} ({exc.filename or shown}); "
                  f"{what}\n")
        return EXIT_PROBLEMS
    private = len(okrs.objectives) - len(view.objectives)
    err.write(f"okrs: generated {len(site.plan.pages)} pages and {len(writer.digests) - len(site.plan.pages)} files "
              f"for the site folder {prefix or '.'}/ in {shown} ({len(view.objectives)} objectives published, "
              f"{private} private left out); {written} written, {len(writer.digests) - written} unchanged\n")
    if not in_docs:
        where = display_path(cfg.docs_dir) if cfg.docs_dir is not None else "the docs folder"
        err.write(f"okrs: note: {shown} is not in {where}; its pages link as they would at {prefix or '.'}/ "
                  "there\n")
    missing_css = [p for p, _ in site.assets() if p.endswith(".css") and p not in cfg.extra_css]
    missing_js = [p for p, _ in site.assets() if p.endswith(".js") and p not in cfg.extra_javascript]
    missing_toc = TOC_EXTENSION not in cfg.markdown_extensions
    if cfg.path is not None and (missing_css or missing_js or missing_toc):
        lines = [f"okrs: add to {display_path(cfg.path)} (see 'Builders without plugins' in the docs):"]
        if missing_css:
            lines += ["  extra_css:"] + [f"    - {p}" for p in missing_css]
        if missing_js:
            lines += ["  extra_javascript:"] + [f"    - {p}" for p in missing_js]
        if missing_toc:
            lines += ["  markdown_extensions:", f"    - {TOC_EXTENSION}  # the pages' table of contents"]
        err.write("\n".join(lines) + "\n")
    return EXIT_OK


def site_options(cfg: SiteConfig, prefix: str):
    """The :class:`~mkdocs_okrs.site.generate.SiteOptions` of a generated site: the plugin's
    options and the site's settings of mkdocs.yml, pages and files under ``prefix``."""
    from ..site.generate import SiteOptions

    c = cfg.plugin
    custom_dir = cfg.theme.get("custom_dir")
    cache = Path(os.path.expanduser(c.cache_dir)) if c.cache_dir else None
    return SiteOptions(
        prefix=prefix, files_prefix=prefix, use_directory_urls=cfg.use_directory_urls,
        dashboard_title=c.nav_title, nav_title=c.nav_title, changes_days=c.changes_days,
        language=c.language or (cfg.theme.get("language") if isinstance(cfg.theme.get("language"), str) else None)
        or "en",
        override_dirs=[str(cfg.base_dir / custom_dir)] if isinstance(custom_dir, str) and custom_dir else [],
        markdown_extensions=cfg.markdown_extensions, mdx_configs=cfg.mdx_configs,
        graphs=c.graphs, renderer=c.renderer, graph_timeout=c.graph_timeout, graph_max_nodes=c.graph_max_nodes,
        cache_dir=(cache if cache is None or cache.is_absolute() else cfg.base_dir / cache), graph_worker=c.graph_worker,
        serving=False, site_name=cfg.site_name, site_url=cfg.site_url,
    )


def make_site(view, cfg: SiteConfig, prefix: str, ws):
    """The :class:`~mkdocs_okrs.site.generate.OkrSite` of ``view`` as the plugin would make it
    for this site (the dashboard's title, the objectives' edit links included)."""
    from dataclasses import replace

    from ..site.edit_links import objective_edit_urls
    from ..site.generate import OkrSite
    from ..site.words import Words

    options = site_options(cfg, prefix)
    words = Words(options.language)
    features = cfg.theme.get("features") if isinstance(cfg.theme.get("features"), list) else []
    if "navigation.indexes" not in features:  # (as the plugin names the dashboard)
        options = replace(options, dashboard_title=words.gettext("Overview"))
    site = OkrSite(view, options, words)
    if cfg.path is not None and cfg.docs_dir is not None:
        site.index.edit_urls = objective_edit_urls(
            view.objectives, str(ws.root), str(cfg.base_dir), str(cfg.docs_dir), cfg.repo_url, cfg.edit_uri,
            cfg.edit_uri_template, getattr(cfg.plugin, "edit_uri", None),
        )
    return site
