"""One place for paths and settings: everything is derived from this file's location."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = ROOT / "data"
DEFAULT_CORPUS = DATA_DIR / "corpus"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
REPORTS_DIR = ROOT / "reports"

ACTORS_FILE = DATA_DIR / "actors.yaml"
OUTLETS_FILE = DATA_DIR / "outlets.yaml"
GAZETTEER_SUPPLEMENT = DATA_DIR / "gazetteer_supplement.csv"

# System Chromium for nbconvert's webpdf export (Debian package `chromium`).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# Extraction results keyed by content hash: a second report on an unchanged corpus skips extraction.
CACHE_DIR = ROOT / ".cache" / "extract"
# Structures each process would build from data/ and installed packages (the gazetteer), keyed by their inputs.
DERIVED_DIR = ROOT / ".cache" / "derived"
