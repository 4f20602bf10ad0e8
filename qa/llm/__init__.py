"""Written answers from an LLM: its settings, chat models, prompt and answerer."""
