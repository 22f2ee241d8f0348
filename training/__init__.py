"""Scripts that train the course's small pretrained networks (`make models`), seeded and reproducible."""
