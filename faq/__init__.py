"""The assistant's domain core: knowledge, language and text handling.

Nothing in this package imports Rasa, so the knowledge file can be validated, queried and
tested without a model, and both the NLU components and the action server share it.
"""
