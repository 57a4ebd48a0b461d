"""What the browser tests of the review station share: running a command,
finding Debian's chromium and chromedriver, serving `sohoa review` on a free
loopback port and stopping it, and the headless browser's flags. Selenium
itself is imported by each test, so that a machine without it skips."""
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
