"""Reports built from the tracker store (no Rasa imports: it reads the events table)."""
