"""The grid's JavaScript formatters (assets/dashAgGridFunctions.js), run with Node.js."""

import json
import shutil
import subprocess

import pytest

from etl.core.settings import REPO_ROOT

SCRIPT = REPO_ROOT / "assets" / "dashAgGridFunctions.js"


@pytest.fixture(scope="module")
def run_js():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js not installed")

    def run(expression: str):
        code = (f"var window = {{}};\n{SCRIPT.read_text(encoding='utf-8')}\n"
                f"var f = window.dashAgGridFunctions;\n"
                f"process.stdout.write(JSON.stringify({expression}));")
        out = subprocess.run([node, "-e", code], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    return run


def test_money_from_cents_is_exact(run_js):
    assert run_js("[f.eurCents(123456789), f.eurCents(-5), f.eurCents(0), f.eurCents(null)]") == [
        "1.234.567,89 €", "-0,05 €", "0,00 €", ""]
    # 2^53 - 1 cents still formats digit by digit
    assert run_js("f.eurCents(9007199254740991)") == "90.071.992.547.409,91 €"


def test_numbers_dates_and_months(run_js):
    assert run_js("[f.deNumber(1234567, 0), f.deNumber(12.5, 2), f.deNumber(-1234.5, 1)]") == [
        "1.234.567", "12,50", "-1.234,5"]
    assert run_js("[f.deDate('2025-03-14'), f.deDate('2025-03-14T09:30:00', true)]") == [
        "14.03.2025", "14.03.2025 09:30"]
    assert run_js("f.deMonth('2025-03-01')") == "März 2025"
