#!/usr/bin/env python3
"""Headless-browser check of `keyhole matrix --format html` (run by Scripts/check-matrix-html.sh).

Loads the page in Chromium, filters to tier 3 through the UI (the tier select), and asserts that the rows
shown are exactly the tier-3 rows of the CSV output (same count, same user/object/field set), that the
counter `#row-count` says so, that the filter went into the URL hash, that opening the page with
`#tier=3` applies the same filter on load, and that clicking a header sorts. Saves a screenshot.

Two drivers: Selenium with Debian's chromedriver (`--driver selenium`), or plain `chromium --headless
--dump-dom` on `matrix.html#tier=3` (`--driver dump-dom`, the hash path only).
"""
import argparse
import csv
import os
import subprocess
import sys
from html.parser import HTMLParser

COLUMNS = ["user", "object", "field", "classification", "compliance", "tier", "access", "granted_by",
           "justification", "approved_by", "status"]


def fail(message):
    print(f"check-matrix-html: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def expected_rows(csv_path, tier):
    with open(csv_path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header != COLUMNS:
            fail(f"CSV header is {header}, expected {COLUMNS}")
        rows = [dict(zip(header, row)) for row in reader]
    if not rows:
        fail("the CSV has no rows")
    selected = [(r["user"], r["object"], r["field"]) for r in rows if r["tier"] == str(tier)]
    return selected, len(rows)


def compare(shown, expected, what):
    if len(shown) != len(expected):
        fail(f"{what}: {len(shown)} rows shown, the CSV has {len(expected)} tier-3 rows")
    if set(shown) != set(expected):
        missing = sorted(set(expected) - set(shown))[:5]
        extra = sorted(set(shown) - set(expected))[:5]
        fail(f"{what}: rows differ; missing {missing}, extra {extra}")
    print(f"check-matrix-html: {what}: {len(shown)} rows shown = the CSV's tier-3 rows")


# --- Selenium ---------------------------------------------------------------------------------------

VISIBLE_ROWS_JS = """
return Array.prototype.slice.call(document.querySelectorAll('#matrix-table tbody tr'))
  .filter(function (r) { return !r.hidden && r.offsetParent !== null; })
  .map(function (r) { return [r.dataset.user, r.dataset.object, r.dataset.field, r.dataset.tier]; });
"""


def run_selenium(args, expected, total):
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--window-size=1600,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=options)
    try:
        url = "file://" + os.path.abspath(args.html)
        driver.get(url)
        count = driver.find_element(By.ID, "row-count")
        if count.text != str(total):
            fail(f"unfiltered page: #row-count says {count.text}, the CSV has {total} rows")
        all_rows = driver.execute_script(VISIBLE_ROWS_JS)
        if len(all_rows) != total:
            fail(f"unfiltered page shows {len(all_rows)} rows, the CSV has {total}")

        # Through the UI: pick tier 3 in the select.
        Select(driver.find_element(By.ID, "filter-tier")).select_by_value("3")
        shown = [tuple(r[:3]) for r in driver.execute_script(VISIBLE_ROWS_JS)]
        compare(shown, expected, "tier select")
        if count.text != str(len(expected)):
            fail(f"#row-count says {count.text}, expected {len(expected)}")
        hash_ = driver.execute_script("return location.hash")
        if "tier=3" not in hash_:
            fail(f"the filter is not in the URL hash: {hash_!r}")

        # Sorting: click the field header twice (ascending, then descending).
        header = driver.find_element(By.CSS_SELECTOR, '#matrix-table th[data-name="field"]')
        header.click()
        fields = [r[2].lower() for r in driver.execute_script(VISIBLE_ROWS_JS)]
        if fields != sorted(fields):
            fail("clicking the field header did not sort the rows by field")
        if header.get_attribute("aria-sort") != "ascending":
            fail("the sorted header does not say aria-sort=ascending")
        header.click()
        fields = [r[2].lower() for r in driver.execute_script(VISIBLE_ROWS_JS)]
        if fields != sorted(fields, reverse=True):
            fail("a second click on the field header did not sort descending")
        header.click()

        # The hash applied on load: a fresh page at #tier=3.
        driver.get("about:blank")
        driver.get(url + "#tier=3")
        shown = [tuple(r[:3]) for r in driver.execute_script(VISIBLE_ROWS_JS)]
        compare(shown, expected, "#tier=3 on load")
        selected = driver.execute_script("return document.getElementById('filter-tier').value")
        if selected != "3":
            fail(f"on load with #tier=3 the tier select shows {selected!r}")
        if driver.find_element(By.ID, "row-count").text != str(len(expected)):
            fail("on load with #tier=3 the counter is wrong")

        # Status filter through the UI, on top of the tier.
        Select(driver.find_element(By.ID, "filter-status")).select_by_value("finding")
        findings = driver.execute_script(
            "return Array.prototype.slice.call(document.querySelectorAll('#matrix-table tbody tr'))"
            ".filter(function (r) { return !r.hidden; }).map(function (r) { return r.dataset.status; });")
        if any(not s.startswith("KH-") for s in findings):
            fail("the status filter 'any finding' shows rows that are not findings")
        Select(driver.find_element(By.ID, "filter-status")).select_by_value("")

        driver.save_screenshot(args.screenshot)
        print(f"check-matrix-html: screenshot {args.screenshot}")
    finally:
        driver.quit()


# --- dump-dom ---------------------------------------------------------------------------------------

class RowParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_table = False
        self.in_body = False
        self.rows = []
        self.count = None
        self._in_count = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "matrix-table":
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append((a.get("data-user"), a.get("data-object"), a.get("data-field"),
                              a.get("data-tier"), "hidden" in a))
        elif tag == "span" and a.get("id") == "row-count":
            self._in_count = True

    def handle_endtag(self, tag):
        if tag == "tbody" and self.in_body:
            self.in_body = False
        elif tag == "table" and self.in_table:
            self.in_table = False
        elif tag == "span":
            self._in_count = False

    def handle_data(self, data):
        if self._in_count:
            self.count = data.strip()


def chromium_flags(args):
    return [args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1600,1000"]


def run_dump_dom(args, expected, total):
    url = "file://" + os.path.abspath(args.html) + "#tier=3"
    dom = subprocess.run(chromium_flags(args) + ["--virtual-time-budget=5000", "--dump-dom", url],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    parser = RowParser()
    parser.feed(dom)
    if len(parser.rows) != total:
        fail(f"the page has {len(parser.rows)} rows, the CSV has {total}")
    shown = [r[:3] for r in parser.rows if not r[4]]
    compare(shown, expected, "#tier=3 on load (dump-dom)")
    if parser.count != str(len(expected)):
        fail(f"#row-count says {parser.count}, expected {len(expected)}")
    subprocess.run(chromium_flags(args) + [f"--screenshot={os.path.abspath(args.screenshot)}", url],
                   check=True, capture_output=True, timeout=120)
    print(f"check-matrix-html: screenshot {args.screenshot}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", required=True)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--driver", choices=["selenium", "dump-dom"], default="selenium")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()

    expected, total = expected_rows(args.csv, 3)
    if not expected:
        fail("the CSV has no tier-3 row; the check would prove nothing")
    if args.driver == "selenium":
        run_selenium(args, expected, total)
    else:
        run_dump_dom(args, expected, total)
    print(f"check-matrix-html: ok ({args.driver}): {len(expected)} tier-3 rows of {total}")


if __name__ == "__main__":
    main()
