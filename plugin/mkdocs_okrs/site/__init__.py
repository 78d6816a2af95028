"""Page generation for the OKR site, as pure functions. Imports nothing from MkDocs.

- :mod:`.plan` -- which pages exist, their source paths and titles (from a PublicOkrs);
- :mod:`.urls` -- MkDocs' source-path-to-URL rule and relative links;
- :mod:`.context` -- the template context of each page;
- :mod:`.render` -- the autoescaping Jinja environment (with ``custom_dir`` overrides);
- :mod:`.sanitize` -- the nh3 allow-list for rendered bodies;
- :mod:`.toc` -- the table of contents read back from rendered templates;
- :mod:`.pagehtml` -- one page's HTML from the templates, before its body goes in;
- :mod:`.searchcopy` -- the lean copy of a page the search plugin reads;
- :mod:`.graphjob` -- the background job: pages' HTML, okrs.json and the graphs;
- :mod:`.markdown` -- the Markdown source MkDocs reads for each generated page;
- :mod:`.format` -- how numbers, shares and statuses are shown.

Only :mod:`mkdocs_okrs.plugin` and :mod:`mkdocs_okrs.pages` (the page class) turn
these into MkDocs files, pages and navigation.
"""
