"""The weekly quizzes: their banks of questions (banks), the draw of each week's graded questions (draws), and the
instructor notebook written from the two (notebooks). A quiz's bank and draw live in autograder/assignments/<id>/;
its answers are judged by autograder.judging.quiz_answers."""
