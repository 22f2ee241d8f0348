"""The sandbox a student's kernel runs in: its walls (bubblewrap), its size (limits), its processes, and the
kernel manager that starts a kernel inside it (kernel)."""
