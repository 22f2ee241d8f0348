"""Sphinx extension: write each script of a page once.

Under `jupyter-book build`, sphinx-thebe and sphinx-togglebutton register their inline configuration
scripts twice (their handlers run once per read pass), and the second `const THEBE_JS_URL = ...`
throws "Identifier has already been declared" on every page. Dropping exact repeats fixes it without
touching either package.
"""


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of any scripts with the same file, body and attributes, in their order."""
    scripts = context.get("script_files", [])
    seen, unique = set(), []
    for script in scripts:
        # An inline script is registered once with filename None and once with "": the same script.
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # in place: the list is the builder's own, which other handlers append to


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)  # after the others add theirs
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
