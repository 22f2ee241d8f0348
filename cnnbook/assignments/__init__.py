"""Each assignment's kernel side, one package per assignment id: what its notebook imports and gives.

Its grader side lives in autograder/assignments/<id>/ (hidden tests, reference), never imported from here.
"""
