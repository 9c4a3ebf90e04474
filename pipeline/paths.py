"""Where the pipeline's knowledge lives: `models/` beside the package (the repo is installed editable)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
