"""`make dist`: what a class gets, made from the one source of truth.

student_tree.py writes dist/student (the student repository: released notebooks, the course package, the student
requirements, a Binder configuration, a README); leak_check.py refuses a student tree that holds any line only the
grader may have; package_wheel.py builds the course package's wheel from that tree; book_site.py builds the book
into dist/site. `python -m autograder.dist --help` runs them in that order.
"""
