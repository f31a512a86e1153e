"""The rasa_sdk action server: answers from the knowledge file in the user's language.

Modules: `settings` (read once from the environment), `knowledge_store` (the shared,
validated knowledge base), `dialogue` (language, aspect and subject of the current turn),
`messages` (channel-neutral messages), `answer_actions` and `conversation_actions` (the
actions Rasa calls). Nothing here knows which channel the user is on.
"""
