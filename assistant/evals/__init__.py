"""Evals of the facilitator: scripted sessions with assertions, run by `goedwerk eval prompts`."""
