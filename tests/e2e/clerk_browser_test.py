#!/usr/bin/python3
"""End-to-end test of the clerk's search page (issue 22) in headless Chromium.

Archives a generated scan with the built `sohoa run` (its record waits in
review, which a search shows too), creates a clerk with `sohoa user add
--role clerk`, serves `sohoa review` on a free loopback port and drives
Debian's chromium through chromedriver (python3-selenium): the clerk logs in
and sees the search page only, is refused a search without a purpose, searches
by the holder's personal ID with a purpose, and opens the record's PDF. The
test then reads the ledger's access log (sqlite3): the search and the opening,
by the clerk, through the station, with the purpose and the record's sha256 —
and checks the station's log holds neither the ID searched for nor a name.
Screenshots go to --out.

Exit 0 pass, 1 fail, 77 skip (chromium, chromedriver or selenium missing).
"""
import argparse
import json
import os
import shutil
import sqlite3
import sys
import time

from station_support import CHROMIUM_FLAGS, Station, browser_ready, fresh_output, run

PASSWORD = "correct horse battery"
PURPOSE = "cấp bản sao trích lục cho công dân"


def access_log(archive):
    """The ledger's access log, oldest first: (who, via, purpose, query_kind, records_json)."""
    with sqlite3.connect(os.path.join(archive, "ledger.sqlite")) as db:
        return db.execute("SELECT who, via, purpose, query_kind, records_json FROM access_log ORDER BY id").fetchall()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sohoa", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    paths = browser_ready()
    if paths is None:
        return 77
    chromium, driver_path = paths
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    out, scans, archive, shots = fresh_output(args.out)
    shutil.copy(os.path.join(args.samples, "scans", "t01_khai_sinh_g4.tif"), scans)
    code, text = run([args.sohoa, "run", "--deterministic", "--jobs", "2", "--input", scans, "--archive", archive])
    if code not in (0, 3):
        print("FAIL: sohoa run:", code, "\n", text)
        return 1
    code, text = run([args.sohoa, "export", "--archive", archive])
    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    if len(records) != 1:
        print("FAIL: expected one record in sohoa export:\n", text)
        return 1
    sha = records[0]["sha256"]
    holder = records[0].get("holder_id")
    names = [f.get("value") for k, f in (records[0].get("fields") or {}).items() if k == "ho_ten"]
    if not holder:
        print("FAIL: the generated scan's holder ID was not read:\n", text)
        return 1
    code, text = run([args.sohoa, "user", "add", "--archive", archive, "thu", "--role", "clerk"],
                     input=PASSWORD + "\n")
    if code != 0:
        print("FAIL: sohoa user add --role clerk:", text)
        return 1

    station = Station(args.sohoa, archive, out)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    failures = []

    def shot(name):
        path = os.path.join(shots, name)
        browser.save_screenshot(path)
        print("screenshot:", path)

    try:
        wait = WebDriverWait(browser, 30)
        browser.get(station.base + "/")
        wait.until(EC.visibility_of_element_located((By.ID, "login-user")))
        browser.find_element(By.ID, "login-user").send_keys("thu")
        browser.find_element(By.ID, "login-password").send_keys(PASSWORD, Keys.ENTER)
        wait.until(EC.visibility_of_element_located((By.ID, "clerk-holder")))
        shot("01-search.png")
        if browser.find_element(By.ID, "nav-queue").is_displayed() or \
                browser.find_element(By.ID, "queue-view").is_displayed():
            failures.append("a clerk is offered the review queue")

        # No purpose: refused in the page, nothing searched.
        browser.find_element(By.ID, "clerk-holder").send_keys(holder)
        browser.find_element(By.ID, "clerk-search").click()
        wait.until(lambda b: b.find_element(By.ID, "clerk-error").text)
        shot("02-no-purpose.png")
        if access_log(archive):
            failures.append("a search without a purpose reached the ledger")

        browser.find_element(By.ID, "clerk-purpose").send_keys(PURPOSE, Keys.ENTER)
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#clerk-results tbody tr")))
        shot("03-results.png")
        rows = browser.find_elements(By.CSS_SELECTOR, "#clerk-results tbody tr")
        if [r.get_attribute("data-sha256") for r in rows] != [sha]:
            failures.append("the search did not show exactly the archived record")
        # The count in words of the catalogue, with its plural form (issue
        # 20): Vietnamese first, then English one click away ("1 record").
        summary = browser.find_element(By.ID, "clerk-summary").text
        if summary != "1 hồ sơ":
            failures.append(f"the Vietnamese count reads {summary!r}, expected '1 hồ sơ'")
        browser.find_element(By.ID, "lang-toggle").click()
        wait.until(lambda b: b.find_element(By.ID, "clerk-summary").text != summary)
        summary = browser.find_element(By.ID, "clerk-summary").text
        if summary != "1 record":
            failures.append(f"the English count reads {summary!r}, expected '1 record'")
        browser.find_element(By.ID, "lang-toggle").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#clerk-results tbody tr")))
        rows = browser.find_elements(By.CSS_SELECTOR, "#clerk-results tbody tr")
        first_window = browser.current_window_handle
        rows[0].find_element(By.CSS_SELECTOR, "a.clerk-open").click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(access_log(archive)) < 2:
            time.sleep(0.2)
        for handle in browser.window_handles:
            if handle != first_window:
                browser.switch_to.window(handle)
                print("opened:", browser.current_url)
                browser.close()
        browser.switch_to.window(first_window)
        shot("04-after-open.png")
    finally:
        browser.quit()
        station.stop()

    log = access_log(archive)
    print("access log:", log)
    expected = [("thu", "review", PURPOSE, "holder", json.dumps([sha], separators=(",", ":"))),
                ("thu", "review", PURPOSE, "pdf_open", json.dumps([sha], separators=(",", ":")))]
    normalized = [(w, v, p, k, json.dumps(json.loads(r), separators=(",", ":"))) for w, v, p, k, r in log]
    if normalized != expected:
        failures.append(f"the access log holds {normalized}, expected {expected}")
    with open(os.path.join(out, "server.log")) as f:
        server_log = f.read()
    for value in [holder, PASSWORD] + [n for n in names if n]:
        if value in server_log:
            failures.append("personal data or a password reached the station's log")

    for f in failures:
        print("FAIL:", f)
    print("screenshots in", shots)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
