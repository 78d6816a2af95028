"""Page generation for the OKR site, as pure functions. Imports nothing from MkDocs.

- :mod:`.generate` -- the one page generator (:class:`~.generate.OkrSite`): every page and
  file of the site, for the plugin and for ``okrs generate`` (Markdown pages);
- :mod:`.plan` -- which pages exist, their source paths and titles (from a PublicOkrs);
- :mod:`.urls` -- MkDocs' source-path-to-URL rule and relative links (the one URL helper);
- :mod:`.context` -- the template context of each page;
- :mod:`.render` -- the autoescaping Jinja environment (with ``custom_dir`` overrides);
- :mod:`.pagehtml` -- one page's HTML from the templates, before its body goes in;
- :mod:`.bodies` -- an objective's Markdown body, rendered with the safe extensions;
- :mod:`.sanitize` -- the nh3 allow-list for rendered bodies;
- :mod:`.toc` -- the table of contents read back from rendered templates;
- :mod:`.graphworker` -- the figures (graphs, charts), drawn beside the build and read page by page;
- :mod:`.charts` -- the trend charts' inline SVG; :mod:`.trends` -- what they show of an objective;
- :mod:`.feed` -- the Atom feed of recent check-ins and status changes;
- :mod:`.format` -- how numbers, shares and statuses are shown.

Only :mod:`mkdocs_okrs.plugin` turns these into MkDocs files, pages and navigation;
:mod:`mkdocs_okrs.commands.generate` writes them as files for builders without it.
"""
