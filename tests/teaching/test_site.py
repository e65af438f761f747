"""The documentation site builds with warnings as errors, holds every page it should, and
shows the notebooks' figures in a real browser (headless Chromium through selenium), whose
screenshots are saved to ``site-screenshots/`` (CI keeps the folder as an artifact).

One build serves every test here. The notebooks are not executed again by Sphinx: the copies
the session already ran (``tests/notebook_runs.py``, shared with the notebook and figure
tests) are staged with their outputs, so the pages show exactly what those tests checked.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import quadtheory as qt
from quadtheory._src.teaching.course import course
from quadtheory._src.teaching.site import build, folder_readmes, proof_files
from tests.notebook_runs import executed

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "site-screenshots"
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Three pages opened in the browser: the landing page and two notebooks with figures.
PAGES = {"index": "index.html", "notebook-01": "notebooks/01_quadratic_neuron.html",
         "notebook-02": "notebooks/02_exact_polynomial_networks.html"}

pytestmark = pytest.mark.slow


def need(module: str) -> ModuleType:
    """Import a test dependency, failing (never skipping) with the fix when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"{module} is needed to test the site ({error}); install the test extras: "
                    f"pip install -e '.[test]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("sphinx")
    need("myst_nb")
    nbformat = need("nbformat")
    executed_folder = tmp_path_factory.mktemp("executed")
    for lesson in course(ROOT / "notebooks"):
        nbformat.write(executed(lesson.path), executed_folder / lesson.path.name)
    return build(tmp_path_factory.mktemp("site"), executed=executed_folder).parent


@pytest.fixture(scope="module")
def browser() -> Any:
    webdriver = need("selenium.webdriver")
    missing = [path for path in (CHROMIUM, DRIVER) if shutil.which(path) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install -y chromium chromium-driver "
                    "(.ci/run does)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # given, with the driver's path: selenium fetches nothing
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def test_every_page_is_built(site: Path) -> None:
    folders = [readme.parent.name for readme in folder_readmes(ROOT)]
    assert "proofs" in folders
    for guide in ("README", "DEVELOPERS", *(f"{folder}/README" for folder in folders)):
        assert (site / f"{guide}.html").exists(), guide
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert (site / "docs" / f"{page.stem}.html").exists(), page.name
    for lesson in course(ROOT / "notebooks"):
        assert (site / "notebooks" / f"{lesson.path.stem}.html").exists(), lesson.path.name
    index = (site / "index.html").read_text()
    assert 'href="README.html"' in index and 'href="api.html"' in index


def test_the_api_reference_documents_the_public_names(site: Path) -> None:
    api = (site / "api.html").read_text()
    names = [f"quadtheory.{name}" for name in dir(qt) if not name.startswith("_")
             and callable(getattr(qt, name))]
    names += ["quadtheory.nn.QuadraticMLP", "quadtheory.nn.from_torch",
              "quadtheory.exercises.check"]
    missing = [name for name in names if f'id="{name}"' not in api]
    assert not missing, missing


def test_the_proofs_table_holds_every_proof_with_its_certificate(site: Path) -> None:
    proofs = (site / "proofs.html").read_text()
    for path in proof_files(ROOT):
        name = path.parent.name if path.name == "__init__.py" else path.stem
        assert f"<code class=\"docutils literal notranslate\"><span class=\"pre\">{name}" \
               f"</span></code></p></td>" in proofs, name
    assert "<td><p>symbolic proof</p></td>" in proofs and "<td><p>NO</p></td>" not in proofs


# MathJax typesets after the page loads: wait for it, then count the formulas it drew.
MATH = """const done = arguments[arguments.length - 1];
MathJax.startup.promise.then(() => done([document.querySelectorAll('mjx-container').length,
                                         document.body.innerText.includes('\\\\(')]));"""
IMAGES = """return Array.from(document.querySelectorAll('img')).map(
    i => [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight])"""


@pytest.mark.parametrize("name", PAGES)
def test_pages_show_their_figures_in_a_browser(name: str, site: Path, browser: Any) -> None:
    page = site / PAGES[name]
    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    assert "quadtheory" in browser.title
    images = browser.execute_script(IMAGES)
    figures = [image for image in images if "_images/" in (image[0] or "")]
    # Every <img> Sphinx wrote for a figure is in the page; the browser must have drawn each.
    assert len(figures) == page.read_text().count('src="../_images/')
    if name.startswith("notebook"):
        assert figures, f"{PAGES[name]}: no notebook figures"
    unloaded = [image for image in figures if not (image[1] and image[2] > 0 and image[3] > 0)]
    assert not unloaded, unloaded
    if name.startswith("notebook"):  # served with the site: no CDN needed to draw the math
        formulas, raw = browser.execute_async_script(MATH)
        assert formulas > 0 and not raw, (formulas, raw)
    SCREENSHOTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height + 200, 800), 6000))
    assert browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    browser.set_window_size(1280, 1000)
