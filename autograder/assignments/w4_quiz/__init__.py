"""Week 4's quiz, grader side: its bank of questions (bank.yaml), the recorded draw of its graded questions
(draw.yaml), and the hidden tests made from the two."""
