"""Dialogue policies: Rasa's own, with per-message costs that grow with the conversation
removed (README "Performance"). They predict what Rasa's policies predict."""
