"""How the project starts Rasa: its CLI with two performance fixes (see rasa_server.py)."""
