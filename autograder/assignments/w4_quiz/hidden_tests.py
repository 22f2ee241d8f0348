"""Hidden tests of week 4's graded quiz: one per drawn question, judged against bank.yaml
(autograder.judging.quiz_answers)."""

from autograder.judging.quiz_answers import quiz_hidden_tests

HIDDEN_TESTS = quiz_hidden_tests("w4_quiz")
