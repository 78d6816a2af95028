"""The public types of the graphs package: options, result, statistics and the error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Renderer names accepted by :attr:`GraphOptions.renderer`, ``auto`` first.
RENDERER_NAMES: tuple[str, ...] = ("auto", "dot", "graphviz-pure", "pygraphviz")

#: How to install each renderer, in the order ``auto`` tries them.
INSTALL_HINTS: dict[str, str] = {
    "dot": "apt install graphviz (or brew install graphviz, choco install graphviz) for the system `dot`",
    "graphviz-pure": "pip install graphviz-pure (a self-contained `dot`, no system packages)",
    "pygraphviz": "pip install pygraphviz",
}


class GraphError(Exception):
    """Graphs could not be made: no renderer, a renderer failure or a time-out.

    The message is one clear sentence (plus install hints where they help); the
    plugin reports it as a build error.
    """


@dataclass(frozen=True)
class GraphOptions:
    """How graphs are rendered. The plugin fills it from its options (in mkdocs.yml,
    flat under ``okrs:``), named in brackets below.

    - ``enabled`` (``graphs: true|false``): False builds the site without graphs
      (no renderer needed).
    - ``renderer`` (``renderer``): ``auto`` (system ``dot``, else ``graphviz-pure``,
      else ``pygraphviz``), or one of them by name.
    - ``timeout`` (``graph_timeout``): seconds one renderer process may take before
      the build fails.
    - ``max_nodes`` (``graph_max_nodes``): larger graphs are split by unit, or
      published as a separate SVG file linked from the page.
    - ``cache_dir`` (``cache_dir``): folder for the on-disk SVG cache; None keeps the
      cache in memory only.
    - ``jobs``: renderer processes run side by side for large batches (0: one per CPU).
    - ``extra_dir``: site folder of the separate SVG files for oversized graphs.
    """

    enabled: bool = True
    renderer: str = "auto"
    timeout: float = 60.0
    max_nodes: int = 150
    cache_dir: Path | None = None
    jobs: int = 0
    extra_dir: str = "okrs/graphs"

    def __post_init__(self) -> None:
        if self.renderer not in RENDERER_NAMES:
            raise GraphError(
                f"unknown graph renderer {self.renderer!r}; use one of {', '.join(RENDERER_NAMES)}"
            )
        if not self.timeout > 0:
            raise GraphError(f"graph_timeout must be a positive number of seconds, not {self.timeout!r}")
        if self.max_nodes < 2:
            raise GraphError(f"graph_max_nodes must be at least 2, not {self.max_nodes!r}")
        if self.jobs < 0:
            raise GraphError(f"graph jobs must be 0 (one per CPU) or more, not {self.jobs!r}")


@dataclass
class GraphStats:
    """What one :func:`~mkdocs_okrs.graphs.build_site_graphs` call did.

    ``graphs`` counts every rendered drawing (inline ones and separate pages);
    ``rendered`` those that went through the renderer, the rest came from the
    memory or disk cache; ``rejected`` says which cached drawings failed the safety
    check and were drawn again (see :func:`~.svg.check_svg`). ``render_calls`` is
    the number of renderer processes started; ``render_seconds`` the wall time
    spent in them; ``total_seconds`` the whole call.
    """

    renderer: str = ""
    renderer_version: str = ""
    graphs: int = 0
    inline: int = 0
    separate_pages: int = 0
    rendered: int = 0
    rejected: list[str] = field(default_factory=list)
    memory_hits: int = 0
    disk_hits: int = 0
    disk_errors: int = 0
    render_calls: int = 0
    render_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def cache_hits(self) -> int:
        """Graphs served from the memory or the disk cache."""
        return self.memory_hits + self.disk_hits

    def summary(self) -> str:
        """One line for the build log."""
        if not self.renderer:
            return "graphs disabled"
        return (
            f"{self.graphs} graphs ({self.rendered} rendered"
            + f", {self.memory_hits} from memory, "
            f"{self.disk_hits} from disk cache) with {self.renderer} {self.renderer_version}: "
            f"{self.render_calls} renderer call(s), {self.render_seconds:.2f} s rendering, "
            f"{self.total_seconds:.2f} s in all"
        )


@dataclass
class SiteGraphs:
    """The graphs of a site.

    - ``inline``: page key -> HTML blocks to put on that page, in order (trusted
      HTML: a ``<figure class="okr-graph">`` with an inline ``<svg>`` and a caption,
      or a notice linking to a separate SVG file).
    - ``extra_files``: site-relative path -> content of a standalone SVG file.
    - ``stats``: what the call did.
    """

    inline: dict[str, list[str]] = field(default_factory=dict)
    extra_files: dict[str, str] = field(default_factory=dict)
    stats: GraphStats = field(default_factory=GraphStats)
