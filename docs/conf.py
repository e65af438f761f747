"""Sphinx configuration of the quadtheory documentation site.

Build it with ``python -m quadtheory.docs`` (see docs/teaching.md): that command stages the
sources (README.md, docs/*.md, notebooks/NN_*.ipynb, the generated API reference and proofs
table) in a build folder and runs Sphinx there with this file (``-c docs``), warnings as
errors. Notebooks are executed by myst-nb, once: the jupyter-cache keeps the executed
notebooks until their code changes.
"""

project = "quadtheory"
author = "the quadtheory developers"
extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.mathjax"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]

# Markdown: the README and docs/ pages are GitHub-flavoured; $...$ math in the notebooks.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# Notebooks: executed once and cached; a failing cell fails the build.
nb_execution_mode = "cache"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# API reference: the public names, in the order of their modules' facades.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "imported-members": True}

html_theme = "furo"
html_title = "quadtheory"
html_show_copyright = False
# MathJax is served from the site itself: python -m quadtheory.docs copies it into the build
# folder and sets html_static_path and mathjax_path to it (-D).
html_static_path: list[str] = []
