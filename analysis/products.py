"""Where a report's products go: one slug rule shared by the runner and the notebook."""
import re
import unicodedata
from pathlib import Path

SLUG_MAX_LENGTH = 80


def report_slug(title: str = "", place: str = "", start: str = "", end: str = "") -> str:
    """Return a file-safe name for a report, made only of [a-z0-9-].

    The title names the report when given, else the place and dates do:
    >>> report_slug("", "al-Bukamal", "2017-11-01", "")
    'report-al-bukamal-2017-11-01'
    """
    parts = [title] if title.strip() else ["report", place, start, end]
    text = " ".join(str(part) for part in parts if part)
    # Fold accents (Dayr az-Zawr̄ -> dayr-az-zawr) before dropping everything non-ASCII.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:SLUG_MAX_LENGTH].rstrip("-")
    return slug or "report"


def product_folder(out_dir, title: str = "", place: str = "", start: str = "", end: str = "") -> Path:
    """Create and return the folder for a report's tables and charts, e.g. reports/report-raqqa/."""
    folder = Path(out_dir) / report_slug(title, place, start, end)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
