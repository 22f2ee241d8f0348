"""Hidden tests, judged in the grader's own process: cases drawn (cases), results judged (verdicts), tests
written as scripts (replay) with the tools they share (toolkit), Keras graphs compared (graph_comparison)."""
