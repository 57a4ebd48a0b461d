"""What the browser tests of the review station share: running a command,
finding Debian's chromium and chromedriver, serving `sohoa review` on a free
loopback port and stopping it, the headless browser's flags and a test's
fresh output folders. Selenium itself is imported by each test once
`browser_ready` found it, so that a machine without it skips."""
import os
import shutil
import signal
import socket
import subprocess
import time

# Headless chromium as the tests drive it (Vietnamese interface, a wide window).
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000",
                  "--lang=vi", "--disable-gpu")


def run(cmd, **kw):
    """Runs `cmd`; returns its exit status and its output and errors together."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return result.returncode, result.stdout + result.stderr


def browser_paths():
    """(chromium, chromedriver) paths, or None when either is not installed."""
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if chromium is None or not os.path.exists(driver_path):
        return None
    return chromium, driver_path


def browser_ready():
    """(chromium, chromedriver) when a browser test can run here, else None
    with the reason printed (the test then exits 77: skipped)."""
    paths = browser_paths()
    if paths is None:
        print("SKIP: chromium / chromedriver not installed (scripts/install-deps.sh installs both)")
        return None
    try:
        import selenium  # noqa: F401  (each test imports what it uses)
    except ImportError:
        print("SKIP: python3-selenium not installed (scripts/install-deps.sh installs it)")
        return None
    return paths


def fresh_output(out):
    """OUT emptied and made again with its scans/ and screenshots/ folders:
    (absolute OUT, scans, archive (not created: sohoa makes it), screenshots)."""
    out = os.path.abspath(out)
    shutil.rmtree(out, ignore_errors=True)
    scans, archive, shots = (os.path.join(out, d) for d in ("scans", "archive", "screenshots"))
    os.makedirs(scans)
    os.makedirs(shots)
    return out, scans, archive, shots


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Station:
    """`sohoa review` on a free loopback port (with `extra_args`), its log in OUT/`log_name`;
    `base` is its address once it accepts connections (or ~10 s have passed)."""

    def __init__(self, sohoa, archive, out, extra_args=(), log_name="server.log"):
        port = free_port()
        self.log = open(os.path.join(out, log_name), "w")
        self.server = subprocess.Popen([sohoa, "review", "--archive", archive, "--listen", f"127.0.0.1:{port}",
                                        *extra_args], stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

    def stop(self):
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.log.close()
