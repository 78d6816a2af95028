"""mkdocs-okrs: OKRs as Markdown files in git, checked in CI and published with MkDocs.

The OKR logic lives in :mod:`mkdocs_okrs.core`, which imports nothing from
MkDocs; :mod:`mkdocs_okrs.plugin` is the MkDocs (and ProperDocs) plugin and
:mod:`mkdocs_okrs.cli` the ``okrs`` command line.
"""

__version__ = "0.1.0"
