"""QA of recorded social-care replies: rulebook checks, consistency, precedent risk and a scorecard."""

__all__: list[str] = []
