"""The grade command: a folder of submissions in; a gradebook, grades.csv, feedback and a class report out.

coordinator runs a batch (grade()); dispatch hands submissions to workers; worker grades one submission in a
sandboxed kernel (sanitizing, work_folder, case_drawing, execution); records and saved_results keep what
comes back, written whole or not at all (autograder.output_files); workspace holds a run's folders.
`python -m autograder.grade` (__main__) is the command line.
Kept free of imports, so a worker process loads only what grading one submission needs.
"""
