"""Headless Chromium for the browser tests: Debian's package, the flags that keep it from calling home, and the
launch that fails with the fix when it is missing."""

from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "launch_chromium"]

CHROMIUM = "/usr/bin/chromium"
# Root needs --no-sandbox; the rest stop Chromium's own calls home (updates, sync, field trials, QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--disable-domain-reliability",
]


def launch_chromium(driver):
    """Return a headless Chromium launched by a Playwright driver; fail the test with the fix when it is missing."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install-system-packages.sh` (as root) or `make install`")
    return driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
