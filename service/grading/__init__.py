"""Auto-grading: students' answers checked against the engine's reference, their likely mistakes named,
and the verdict written in the results format of the course's platform."""
