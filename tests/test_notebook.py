"""The exploration notebook runs top to bottom in the project's interpreter and shows real figures."""

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

import pipeline  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def _outputs(cell) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)


@pytest.fixture()
def kernel_here(tmp_path, monkeypatch):
    """Kernel `python3` = this interpreter, whatever kernelspecs the machine or user has installed."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "jnews", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched before every other folder


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_runs_and_shows_the_top_damage(kernel_here, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("JNEWS_OUT", str(out))  # no tables yet: the notebook builds them from the corpus
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()

    events = pipeline.load_events(out)
    damage = events[(events.event_type == "damage") & events.org.notna()]
    (top,) = [c for c in nb.cells if "top-damage" in c.metadata.get("tags", [])]
    assert int(_outputs(top)) == int(damage.amount_jpy.max()) >= 100_000_000
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    (big,) = [c for c in nb.cells if "big[[" in c.source]
    assert "value_int" in _outputs(big) and "approx" in _outputs(big)
