# sontay, officer and outsider are the root conftest's fixtures (one block, not one copy per app).
from conftest import SONGIANG, SONTAY

__all__ = ["SONGIANG", "SONTAY"]
