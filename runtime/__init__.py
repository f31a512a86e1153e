"""How the project runs Rasa: its CLI (rasa_server.py) with the per-message costs that
profiling found removed, and the single-machine tracker store (tracker_store.py)."""
