"""Sphinx extension: the "get the notebook" block of an assignment page, one directive per page.

On an assignment page (MyST markdown), under its "Get the notebook" heading:

    ```{assignment-launch} w1a1_conv_numpy
    ```

renders a download link for the released student notebook `assignments/<id>/<id>.ipynb` (copied into
the built site, so it works offline), a launch button for every service configured in `_config.yml`
under `sphinx.config.assignment_launch`, and how to open the notebook from a clone of the student repository
(`make dist` writes it; the notebook paths are the course repository's).
The option `:services: jupyterhub` limits the buttons to the services that suit that assignment.

    assignment_launch:
      repository_url: https://github.com/<owner>/<repo>   # where nbgitpuller, Binder and Colab fetch from
      branch: main
      jupyterhub_url: https://hub.example.edu              # "" hides the JupyterHub button
      binderhub_url: ""                                    # e.g. https://mybinder.org; "" hides it
      colab: false                                         # Colab opens GitHub notebooks only
      interface: lab                                       # lab or tree (classic notebook)
"""

import re
from urllib.parse import quote, urlencode

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

DEFAULTS = {
    "repository_url": "",
    "branch": "main",
    "jupyterhub_url": "",
    "binderhub_url": "",
    "colab": False,
    "interface": "lab",
}
SERVICES = ("jupyterhub", "binder", "colab")
ASSIGNMENT_ID = re.compile(r"^(w\d+a\d+_[a-z0-9_]+|w\d+_quiz)$")  # an assignment, or a graded weekly quiz
GITHUB = re.compile(r"^https://github\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$")


def released_notebook(assignment: str) -> str:
    """Return the repository-relative path of an assignment's student notebook."""
    return f"assignments/{assignment}/{assignment}.ipynb"


def repository_folder(repository_url: str) -> str:
    """Return the folder nbgitpuller clones a repository into: the last part of its URL, without .git."""
    name = repository_url.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def nbgitpuller_url(hub_url: str, repository_url: str, branch: str, path: str, interface: str = "lab") -> str:
    """Return the JupyterHub link that clones (or updates) the repository with nbgitpuller and opens `path`."""
    prefix = "lab/tree" if interface == "lab" else "tree"  # JupyterLab, or the classic file tree
    # The folder is named in the link: nbgitpuller's own default keeps a URL's ".git", the opened path would not.
    folder = repository_folder(repository_url)
    opened = f"{prefix}/{folder}/{path}"
    query = urlencode(
        {"repo": repository_url, "branch": branch, "targetpath": folder, "urlpath": opened}, quote_via=quote
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def binder_url(binderhub_url: str, repository_url: str, branch: str, path: str) -> str:
    """Return the BinderHub link that builds the repository and opens `path` in JupyterLab."""
    match = GITHUB.match(repository_url)
    spec = (
        f"gh/{match['owner']}/{match['repo']}/{quote(branch, safe='')}"
        if match
        else f"git/{quote(repository_url, safe='')}/{quote(branch, safe='')}"
    )
    return f"{binderhub_url.rstrip('/')}/v2/{spec}?{urlencode({'urlpath': f'lab/tree/{path}'}, quote_via=quote)}"


def colab_url(repository_url: str, branch: str, path: str) -> str:
    """Return the Colab link that opens `path` from a GitHub repository; ValueError for any other host."""
    match = GITHUB.match(repository_url)
    if not match:
        raise ValueError(f"Colab opens notebooks from GitHub only, not from {repository_url!r}")
    return f"https://colab.research.google.com/github/{match['owner']}/{match['repo']}/blob/{branch}/{path}"


def launch_links(settings: dict, path: str, services: tuple[str, ...] = SERVICES) -> list[tuple[str, str, str]]:
    """Return (service, label, url) for every service that `settings` configures and `services` allows."""
    repository, branch = settings["repository_url"], settings["branch"]
    links = []
    if "jupyterhub" in services and settings["jupyterhub_url"] and repository:
        links.append(
            (
                "jupyterhub",
                "Open in JupyterHub",
                nbgitpuller_url(settings["jupyterhub_url"], repository, branch, path, settings["interface"]),
            )
        )
    if "binder" in services and settings["binderhub_url"] and repository:
        links.append(("binder", "Launch on Binder", binder_url(settings["binderhub_url"], repository, branch, path)))
    if "colab" in services and settings["colab"] and GITHUB.match(repository):
        links.append(("colab", "Open in Colab", colab_url(repository, branch, path)))
    return links


def read_settings(config_value: dict) -> dict:
    """Return the launch settings with defaults filled in; ValueError naming an unknown key or interface."""
    unknown = sorted(set(config_value) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"_config.yml, sphinx.config.assignment_launch: unknown key(s) {unknown}; "
            f"the known keys are {sorted(DEFAULTS)}"
        )
    settings = {**DEFAULTS, **config_value}
    if settings["interface"] not in ("lab", "tree"):
        raise ValueError("_config.yml, sphinx.config.assignment_launch.interface must be 'lab' or 'tree'")
    return settings


def parse_services(argument: str) -> tuple[str, ...]:
    """Directive option: the space-separated services that suit this assignment."""
    chosen = tuple(argument.split())
    wrong = [s for s in chosen if s not in SERVICES]
    if wrong:
        raise ValueError(f"unknown service(s) {wrong}; choose from {list(SERVICES)}")
    return chosen


def local_instructions(repository_url: str, path: str) -> nodes.paragraph:
    """Return how to open the notebook on one's own computer: from the student repository when one is set."""
    local = nodes.paragraph()
    if repository_url:
        local += [
            nodes.Text("Or, on your own computer, clone the student repository "),
            nodes.reference("", repository_url, refuri=repository_url),
            nodes.Text(" and follow its README"),
        ]
    else:
        local += [
            nodes.Text("Or, in a clone of the course repository, run "),
            nodes.literal("", "make"),
            nodes.Text(" once and then "),
            nodes.literal("", "make lab"),
        ]
    local += [nodes.Text("; the notebook is "), nodes.literal("", path), nodes.Text(".")]
    return local


class AssignmentLaunch(SphinxDirective):
    """```{assignment-launch} <assignment id>``` : download link, launch buttons, local instructions."""

    required_arguments = 1
    has_content = False
    option_spec = {"services": parse_services}

    def run(self) -> list[nodes.Node]:
        assignment = self.arguments[0]
        if not ASSIGNMENT_ID.match(assignment):
            raise self.error(f"assignment-launch: {assignment!r} is not an assignment id such as w1a1_conv_numpy")
        try:
            settings = read_settings(self.config.assignment_launch)
        except ValueError as exc:
            raise self.error(str(exc)) from exc
        path = released_notebook(assignment)
        block = nodes.container(classes=["assignment-launch"])

        # The download role's machinery copies the file into _downloads/ and warns (fails the build)
        # when the released notebook is missing.
        download = addnodes.download_reference(
            "",
            "",
            nodes.literal("", f"{assignment}.ipynb"),
            refdoc=self.env.docname,
            refdomain="",
            reftype="download",
            reftarget=f"/{path}",
            refexplicit=True,
            refwarn=False,
        )
        block += nodes.paragraph("", "", nodes.Text("Download the student notebook: "), download, nodes.Text("."))

        buttons = nodes.paragraph(classes=["assignment-launch-buttons"])
        for service, label, url in launch_links(settings, path, self.options.get("services", SERVICES)):
            button = nodes.reference(
                "",
                "",
                nodes.inline("", label),
                refuri=url,
                classes=["sd-sphinx-override", "sd-btn", "sd-btn-primary", "sd-text-wrap", f"launch-{service}"],
            )
            buttons += [button, nodes.Text(" ")]
        if len(buttons):
            block += buttons

        block += local_instructions(settings["repository_url"], path)
        self.set_source_info(block)
        return [block]


def check_config(app, config) -> None:
    """Fail early, naming _config.yml, when the launch settings are malformed."""
    try:
        read_settings(config.assignment_launch)
    except ValueError as exc:
        logger.warning(str(exc), type="assignment_launch")


def setup(app):
    app.add_config_value("assignment_launch", {}, "env", types=[dict])
    app.add_directive("assignment-launch", AssignmentLaunch)
    app.connect("config-inited", check_config)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
