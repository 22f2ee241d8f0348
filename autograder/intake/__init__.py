"""Submissions in: each student's notebook found in a folder or zip of any usual shape (layouts), and each
notebook file read whatever its encoding or version, or rejected with a reason in words (notebook_files)."""
