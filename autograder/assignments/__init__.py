"""Each assignment's grader side, one package per assignment id: its hidden tests and their reference.

The kernel side of the same assignment lives in cnnbook/assignments/<id>/ (visible checks, adapter, the
code its notebook gives); its tests in tests/assignments/<id>/.
"""
