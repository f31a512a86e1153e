"""The project's own evaluation of a running stack (make eval, make eval-real)."""
