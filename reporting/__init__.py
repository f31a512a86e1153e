"""Reports built from the tracker store's events table: `make report` and `make review`.

Nothing here imports Rasa at module level; only the review's `model_parser` loads the
trained model (Rasa's Agent) to parse the reviewed questions again.
"""
