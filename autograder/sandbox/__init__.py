"""The sandbox a student's kernel runs in: its walls (bubblewrap), its size (limits), the caps on all of a
submission's processes together (cgroups), its processes, and the kernel manager that starts a kernel inside
it (kernel)."""
